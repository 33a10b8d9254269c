import redis from '@adonisjs/redis/services/main'
import config from '@adonisjs/core/services/config'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import { HealthChecks } from '@adonisjs/core/health'
import { RabbitMqCheck } from '#checks/rabbitmq_check'
import { TimeLimitedCheck } from '#checks/time_limited_check'
import { ReadReplicasCheck } from '#checks/read_replicas_check'
import { primary } from '#helpers/primary'
import app from '@adonisjs/core/services/app'
import { ReadRouting } from '#services/database/read_routing'

/** Each check gets this long, so /health/ready answers within 2 s. */
const CHECK_LIMIT_MS = 1500

/**
 * How long a result is reused: a flood of probes costs one RabbitMQ
 * connection (and one query each to MySQL and Redis) per this interval.
 */
const CACHE_FOR = '3s'

let checks: HealthChecks | undefined

/**
 * The readiness checks: one set per process so their results can be
 * cached; each probe is built when it runs, so it always uses the current
 * connections and settings.
 */
export async function readinessChecks() {
  const readRouting = await app.container.make(ReadRouting)
  checks ??= new HealthChecks().register([
    ...[
      // The primary: a replica that is down costs no readiness (its reads go to the primary).
      new TimeLimitedCheck('MySQL', () => new DbCheck(primary()), CHECK_LIMIT_MS),
      new TimeLimitedCheck('Redis', () => new RedisCheck(redis.connection()), CHECK_LIMIT_MS),
      new TimeLimitedCheck(
        'RabbitMQ',
        () => new RabbitMqCheck(config.get('rabbitmq.url'), CHECK_LIMIT_MS),
        CHECK_LIMIT_MS
      ),
    ].map((check) => check.cacheFor(CACHE_FOR)),
    // What the replica monitor last saw: no query, nothing to cache.
    ...(readRouting.enabled ? [new ReadReplicasCheck(readRouting.health)] : []),
  ])
  return checks
}

/** Drops the cached results (tests that break a dependency on purpose). */
export function forgetReadiness() {
  checks = undefined
}
