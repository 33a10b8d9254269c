import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import config from '@adonisjs/core/services/config'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import { HealthChecks } from '@adonisjs/core/health'
import { RabbitMqCheck } from '#checks/rabbitmq_check'
import { TimeLimitedCheck } from '#checks/time_limited_check'

/** Each check gets this long, so /health/ready answers within 2 s. */
const CHECK_LIMIT_MS = 1500

/**
 * The readiness checks, built per run so they always probe the current
 * connections and settings.
 */
export function readinessChecks() {
  return new HealthChecks().register(
    [
      new DbCheck(db.connection()).as('MySQL'),
      new RedisCheck(redis.connection()).as('Redis'),
      new RabbitMqCheck(config.get('rabbitmq.url'), CHECK_LIMIT_MS),
    ].map((check) => new TimeLimitedCheck(check, CHECK_LIMIT_MS))
  )
}
