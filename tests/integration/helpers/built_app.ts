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

  /** The environment of the built processes: this process's, plus overrides. */
  static env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...overrides }
  }

  static async start(env: NodeJS.ProcessEnv = {}) {
    const port = await freePort()
    const child = ChildService.start('built app', process.execPath, ['bin/server.js'], {
      cwd: app.makePath('build'),
      env: BuiltApp.env({ HOST: '127.0.0.1', ...env, PORT: String(port) }),
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

  /** Runs `node ace …` in build/ to its end; fails on a non-zero exit. */
  static async ace(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = await run(process.execPath, ['ace.js', ...args], {
      cwd: app.makePath('build'),
      env: BuiltApp.env(env),
    })
    if (result.code !== 0) {
      throw new Error(`node ace ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
    }
    return result
  }

  /** Starts `node ace worker` from build/; ready once it logs that it started. */
  static async startWorker(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
    const worker = ChildService.start('worker', process.execPath, ['ace.js', 'worker', ...args], {
      cwd: app.makePath('build'),
      env: BuiltApp.env({ LOG_LEVEL: 'info', ...env }),
    })
    const deadline = Date.now() + 20_000
    while (!worker.output.includes('worker started')) {
      if (!worker.running || Date.now() > deadline) {
        await worker.stop()
        throw new Error(`the worker did not start:\n${worker.output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return worker
  }

  get address() {
    return `127.0.0.1:${this.port}`
  }

  stop() {
    return this.process.stop()
  }
}
