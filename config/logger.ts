import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

const loggerConfig = defineConfig({
  default: 'app',

  loggers: {
    app: {
      enabled: true,
      name: env.get('APP_NAME', 'g-social'),
      level: env.get('LOG_LEVEL'),
      /*
      | Production writes JSON lines to stdout from the main thread: a pino
      | transport would run a worker thread (its own V8 heap, ~30 MB) just
      | to copy them there. Development pretty-prints through one.
      */
      transport: app.inProduction
        ? undefined
        : { targets: targets().push(targets.pretty()).toArray() },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
