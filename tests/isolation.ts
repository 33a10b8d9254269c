import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'

type Settings = Record<string, string | undefined>

/**
 * What `npm test` wipes (tables, Redis keys, queues) and `npm run dev`
 * keeps, each as the setting names it: a test run beside a dev server
 * must share none of them (README: "Tests").
 */
const STORES: Record<string, (env: Settings) => string | undefined> = {
  'the MySQL database': (env) => env.DB_DATABASE,
  'the Redis database': (env) => env.REDIS_DB ?? '0',
  'the RabbitMQ vhost': (env) =>
    env.AMQP_URL && (decodeURIComponent(new URL(env.AMQP_URL).pathname.slice(1)) || '/'),
  'the HTTP port': (env) => env.PORT,
}

/** The stores two sets of settings have in common. */
export function sharedStores(development: Settings, test: Settings) {
  return Object.entries(STORES)
    .filter(([, of]) => of(development) !== undefined && of(development) === of(test))
    .map(([name]) => name)
}

export function readEnvFile(path: string | URL): Settings {
  return parseEnv(readFileSync(path, 'utf8'))
}

/** Refuses to run the tests on a store the development settings (.env) use. */
export function refuseDevelopmentStores(envFile: string, test: Settings) {
  if (!existsSync(envFile)) return
  const shared = sharedStores(readEnvFile(envFile), test)
  if (shared.length > 0) {
    throw new Error(
      `The tests would use ${shared.join(', ')} of .env (npm run dev) and wipe it: ` +
        'give them their own in .env.test or the environment'
    )
  }
}
