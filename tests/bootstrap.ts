import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'

/**
 * Plugins for the test runner.
 */
export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

/**
 * Runs before all tests: the test database is created if missing, then
 * migrated; both are undone by teardown.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      await ace.boot()
      const command = await ace.exec('db:create', [])
      if (command.exitCode !== 0) {
        throw new Error('Could not create the test database; is MySQL running?')
      }
    },
    () => testUtils.db().migrate(),
  ],
  teardown: [],
}

/**
 * The HTTP server starts for the suites that send requests.
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
