import redis from '@adonisjs/redis/services/main'
import type { Redis } from 'ioredis'

const defined = new Set<string>()

/**
 * The main Redis connection with the Lua command `name` defined on it, on
 * first use (ioredis sends EVALSHA, and the script itself once if Redis
 * lacks it).
 */
export function scriptedRedis<T extends Redis>(name: string, numberOfKeys: number, lua: string): T {
  if (!defined.has(name)) {
    redis.defineCommand(name, { numberOfKeys, lua })
    defined.add(name)
  }
  return redis.connection().ioConnection as T
}
