import { assert } from '@japa/assert'
import { ApiClient, apiClient } from '@japa/api-client'
import { chromium } from 'playwright'
import { browserClient } from '@japa/browser-client'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { sessionApiClient } from '#tests/plugins/session_api_client'
import { checkApiClientResponse } from '#tests/openapi_responses'
import { refuseDevelopmentStores } from '#tests/isolation'
import { DrainJob } from '#jobs/drain_job'

/**
 * Plugins for the test runner.
 */
export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    // Debian's chromium (apt), never a browser Playwright would download.
    launcher: (options) =>
      chromium.launch({
        ...options,
        executablePath: '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      }),
  }),
]

/**
 * Every /api response a test receives must match the OpenAPI document
 * (GET /api/openapi.json): route, method, status and JSON body.
 */
ApiClient.teardown(checkApiClientResponse)

/**
 * Runs before all tests: the test database is created if missing and
 * rebuilt from the migrations, whatever an interrupted run left behind.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      refuseDevelopmentStores(app.makePath('.env'), process.env)
      await ace.boot()
      // MariaDB's migration lock is one name for the whole server: the test
      // database has one migrator, so another project's run must not block it.
      const steps = [
        ['db:create'],
        ['mq:create'],
        ['db:wipe'],
        ['migration:run', '--disable-locks'],
      ]
      for (const [command, ...args] of steps) {
        const { exitCode } = await ace.exec(command, args)
        if (exitCode !== 0) {
          throw new Error(
            `"node ace ${command}" failed; is ${command === 'mq:create' ? 'RabbitMQ' : 'MySQL'} running?`
          )
        }
      }
    },
  ],
  teardown: [],
}

/**
 * The HTTP server starts for the suites that send requests.
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'integration'].includes(suite.name)) {
    // Every request comes from 127.0.0.1: each test starts with fresh
    // rate-limit buckets so that one test's sign-ins do not throttle another's.
    suite.onTest((t) => t.setup(() => limiter.clear()))
    suite.onGroup((group) => group.each.setup(() => limiter.clear()))
    // A write asks for its drain a moment later (DrainJob.gatherMs): each test
    // waits for the drains its writes asked for, so none lands in the next test.
    suite.onTest((t) => t.teardown(() => DrainJob.settled()))
    suite.onGroup((group) => group.each.teardown(() => DrainJob.settled()))
    return suite.setup(() => testUtils.httpServer().start())
  }
}
