import app from '@adonisjs/core/services/app'
import { ChildService, freePort, run } from './processes.js'

/**
 * The app as the image runs it: `node ace build`, then `node bin/server.js`
 * from build/ with NODE_ENV=production. Settings come from this process's
 * environment (.env.test's values), since the build has no .env.
 */
export class BuiltApp {
  private constructor(
    readonly port: number,
    readonly process: ChildService
  ) {}

  static async build() {
    const result = await run(process.execPath, ['ace', 'build'], { cwd: app.makePath() })
    if (result.code !== 0) {
      throw new Error(`node ace build failed:\n${result.stdout}${result.stderr}`)
    }
  }

  static async start() {
    const port = await freePort()
    const child = ChildService.start('built app', process.execPath, ['bin/server.js'], {
      cwd: app.makePath('build'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
    })
    const built = new BuiltApp(port, child)
    try {
      await child.waitForPort(port, 20_000)
    } catch (error) {
      await child.stop()
      throw error
    }
    return built
  }

  get address() {
    return `127.0.0.1:${this.port}`
  }

  stop() {
    return this.process.stop()
  }
}
