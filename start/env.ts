/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Every setting the app reads is validated here at boot: a missing or
| malformed variable stops start-up with a message naming it.
| `.env.example` lists each one with a working local default.
|
*/
import { Env } from '@adonisjs/core/env'

const env = await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_KEY: Env.schema.string(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  TRUST_PROXY: Env.schema.string.optional(),

  /*
  | Sessions: "redis" keeps signed-in ones server-side, shared by every
  | replica, so signing out (or a password change) really ends them, and a
  | guest's in a cookie; "cookie" and "memory" cannot end a copied session
  | and are for development only.
  */
  SESSION_DRIVER: Env.schema.enum(['redis', 'cookie', 'memory'] as const),

  /*
  | MySQL (MariaDB works too)
  */
  DB_HOST: Env.schema.string({ format: 'host' }),
  DB_PORT: Env.schema.number(),
  DB_USER: Env.schema.string(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string(),
  /** Optional read replicas, "host:port,host:port" (config/database.ts). */
  DB_READ_HOSTS: Env.schema.string.optional(),
  /** After a person writes, how long their reads stay on the primary (default 2000, at least DB_MAX_LAG_S). */
  DB_STICKY_MS: Env.schema.number.optional(),
  /** A replica further behind than this many seconds gets no reads (default 5). */
  DB_MAX_LAG_S: Env.schema.number.optional(),

  /*
  | Redis: one server for sessions, Bull's queue, the rate limiter, the
  | cache and live notifications. With REDIS_SENTINELS ("host:port,…") and
  | REDIS_SENTINEL_NAME, every connection asks Sentinel for the primary
  | instead (REDIS_HOST and REDIS_PORT are then unused) and follows it after
  | a failover.
  */
  REDIS_HOST: Env.schema.string({ format: 'host' }),
  REDIS_PORT: Env.schema.number(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),
  REDIS_SENTINELS: (name: string, value?: string) =>
    value ? sentinelList(name, value) : undefined,
  REDIS_SENTINEL_NAME: Env.schema.string.optional(),

  /*
  | RabbitMQ, for the worker's RPC
  */
  AMQP_URL: (name: string, value?: string) => {
    if (!value || !/^amqps?:\/\/[^/]+/.test(value)) {
      throw new Error(`Value for environment variable "${name}" must be an amqp:// or amqps:// URL`)
    }
    return value
  },

  /*
  | Mail
  */
  MAIL_TRANSPORT: Env.schema.enum(['smtp', 'file'] as const),
  SMTP_HOST: Env.schema.string({ format: 'host' }),
  SMTP_PORT: Env.schema.number(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_POOL_SIZE: Env.schema.number.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string({ format: 'email' }),
  MAIL_FROM_NAME: Env.schema.string(),
  OUTBOX_LEASE_SECONDS: Env.schema.number.optional(),

  /*
  | Files and rate limits
  */
  DRIVE_DISK: Env.schema.enum(['fs', 's3'] as const),
  /** With DRIVE_DISK=s3 (required then, see below); S3_ENDPOINT stays unset for AWS itself. */
  S3_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  S3_REGION: Env.schema.string.optional(),
  S3_BUCKET: Env.schema.string.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.string.optional(),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),
  PROFILE_PICTURE_MAX_SIZE: Env.schema.string.optional(),
  POST_IMAGE_MAX_SIZE: Env.schema.string.optional(),
  LIMITER_STORE: Env.schema.enum(['redis', 'memory'] as const),
})

/** "host:port,host:port" → Sentinel addresses, or a message naming the bad entry. */
function sentinelList(name: string, value: string) {
  return value.split(',').map((entry) => {
    const match = /^\s*([^\s:]+):(\d{1,5})\s*$/.exec(entry)
    const port = Number(match?.[2])
    if (!match || port < 1 || port > 65535) {
      throw new Error(
        `Value for environment variable "${name}" must be a list of host:port, e.g. "sentinel-1:26379,sentinel-2:26379" (got "${entry.trim()}")`
      )
    }
    return { host: match[1], port }
  })
}

if (env.get('REDIS_SENTINELS') && !env.get('REDIS_SENTINEL_NAME')) {
  throw new Error(
    'REDIS_SENTINELS is set but REDIS_SENTINEL_NAME is not: set it to the name the sentinels monitor (their "sentinel monitor <name> …" line)'
  )
}

/**
 * The key in .env.example is public: with it anyone can forge session
 * cookies and signed URLs. Production refuses to start with it, or with a
 * key too short to be random (`node ace generate:key` makes a good one).
 */
const EXAMPLE_APP_KEY = 'change-me-to-a-random-32-char-key'
const appKey = env.get('APP_KEY')
if (env.get('NODE_ENV') === 'production' && (appKey === EXAMPLE_APP_KEY || appKey.length < 32)) {
  throw new Error(
    'APP_KEY is the example key or shorter than 32 characters: set a random one (node ace generate:key) before starting in production'
  )
}

/** Uploads in a bucket need the bucket: refuse to start half-configured. */
if (env.get('DRIVE_DISK') === 's3') {
  const required = ['S3_REGION', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const
  const missing = required.filter((name) => !env.get(name))
  if (missing.length) {
    throw new Error(
      `DRIVE_DISK=s3 needs ${missing.join(', ')} (and S3_ENDPOINT for a server other than AWS): set them, or DRIVE_DISK=fs`
    )
  }
  // MinIO's default root password, which docker-compose.yml falls back to for local
  // development, is public: anyone who reaches the bucket could read and replace uploads.
  if (env.get('NODE_ENV') === 'production' && env.get('S3_SECRET_ACCESS_KEY') === 'minioadmin') {
    throw new Error(
      "S3_SECRET_ACCESS_KEY is MinIO's public default (minioadmin): set a random one (compose gives it to MinIO as its root password) before starting in production"
    )
  }
}

export default env
