/**
 * Driver and pool errors that mean "a dependency (MySQL, Redis, RabbitMQ)
 * is down", not "a bug": the HTTP answer is a 503, an admin command says
 * which service to start.
 */
const DEPENDENCY_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
])

/**
 * ioredis's own errors while Redis is away carry no code: a command refused
 * offline, one that waited past commandTimeout, a connection closed under
 * it, or one given up after its retries (MaxRetriesPerRequestError).
 */
const REDIS_DOWN_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
  'Connection is closed.',
]

/**
 * True when the error, or one of its causes (the cache wraps what its
 * factory threw), says a dependency is down.
 */
export function isDependencyDown(error: unknown) {
  let current = error as
    { code?: string; name?: string; message?: string; cause?: unknown } | undefined
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code !== undefined && DEPENDENCY_DOWN_CODES.has(current.code)) return true
    if (current.name === 'KnexTimeoutError') return true
    if (current.name === 'MaxRetriesPerRequestError') return true
    if (REDIS_DOWN_MESSAGES.includes(current.message!)) return true
    current = current.cause as typeof current
  }
  return false
}
