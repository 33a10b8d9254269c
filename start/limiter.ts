/*
|--------------------------------------------------------------------------
| Rate limits for routes
|--------------------------------------------------------------------------
|
| Keyed by the client's IP (request.ip() honours X-Forwarded-For from the
| trusted proxy). If the limiter's store (Redis) is down, requests pass:
| availability wins, and argon2's cost still slows guessing (SECURITY.md).
| Every 429 says when to retry: in words (tooManyAttempts, for these limits
| and the per-account one of app/services/sessions/sign_in.ts) and in the Retry-After
| and X-RateLimit-* headers the limiter's error carries.
|
*/
import limiter from '@adonisjs/limiter/services/main'
import type { errors, Limiter } from '@adonisjs/limiter'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import rateLimits from '#config/rate_limits'

type Middleware = (ctx: HttpContext, next: NextFn) => Promise<unknown>
type TooManyRequests = InstanceType<typeof errors.E_TOO_MANY_REQUESTS>

function retryAfterText(seconds: number) {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
}

/** What a 429 says, whichever limit was reached. */
export function tooManyAttempts(error: TooManyRequests) {
  return error.setMessage(
    `Too many attempts, try again in ${retryAfterText(error.response.availableIn)}`
  )
}

/**
 * Lets requests through when the limiter itself fails; a 429 (worded by
 * `refuse`) or an error from the route still propagates.
 */
export function failOpen(
  name: string,
  middleware: Middleware,
  refuse: (error: TooManyRequests) => Error = tooManyAttempts
): Middleware {
  return async (ctx, next) => {
    let passed = false
    try {
      return await middleware(ctx, () => {
        passed = true
        return next()
      })
    } catch (error) {
      // A 429 from a limit further in (pictures, inside posts) keeps its own words.
      if (passed) throw error
      if (error.code === 'E_TOO_MANY_REQUESTS') throw refuse(error)
      logger.warn({ err: error, limiter: name }, 'rate limiter unavailable; request allowed')
      return next()
    }
  }
}

export const throttleRegistrations = failOpen(
  'registrations',
  limiter.define('registrations', ({ request }) => {
    const { requests, duration } = rateLimits.registrationsPerIp
    return limiter.allowRequests(requests).every(duration).usingKey(request.ip())
  })
)

export const throttleSignIns = failOpen(
  'sign_ins',
  limiter.define('sign_ins', ({ request }) => {
    const { requests, duration, blockDuration } = rateLimits.signInsPerIp
    return limiter
      .allowRequests(requests)
      .every(duration)
      .blockFor(blockDuration)
      .usingKey(request.ip())
  })
)

/** Reset requests and attempts from one IP address, whatever the account. */
export const throttlePasswordResets = failOpen(
  'password_resets',
  limiter.define('password_resets', ({ request }) => {
    const { requests, duration } = rateLimits.passwordResetsPerIp
    return limiter.allowRequests(requests).every(duration).usingKey(request.ip())
  })
)

/**
 * Friend requests per account (after `auth`): a burst of 20, then no more
 * than 100 a day, so one account cannot spam the whole directory.
 */
export const throttleFriendRequests = (
  ['friendRequestsBurst', 'friendRequestsPerDay'] as const
).map((name) =>
  failOpen(
    name,
    limiter.define(name, ({ auth }) => {
      const { requests, duration } = rateLimits[name]
      return limiter
        .allowRequests(requests)
        .every(duration)
        .usingKey(`${name}:user_${auth.getUserOrFail().id}`)
    })
  )
)

/**
 * What one account may do in a window (after `auth`), shared by every
 * replica through the limiter's store. The 429 carries `rule: "rate_limit"`,
 * so a form gets its message back above what was typed (the exception
 * handler) and the API gets Retry-After. `counts` skips requests that are
 * not of the kind (a post without a picture); a request the route refuses
 * with a 4xx is given back, so typos do not use up the day, unless the
 * limit bounds work a refusal still cost (`keepRefused`: a picture that
 * failed to decode was decoded). A new limit (comments: 300
 * per 3 hours, likes: 1,000 an hour) is its numbers in config/rate_limits.ts
 * and one line here: `export const throttleComments = perAccount('commentsPerAccount', 'comments')`.
 */
function perAccount(
  name: keyof typeof rateLimits,
  things: string,
  {
    counts,
    keepRefused = false,
  }: { counts?: (ctx: HttpContext) => boolean; keepRefused?: boolean } = {}
): Middleware {
  return failOpen(
    name,
    async (ctx, next) => {
      if (counts && !counts(ctx)) return next()
      const { requests, duration } = rateLimits[name]
      // Consumed in one round trip: Redis refuses past the limit by itself
      // (limiter.define asks twice, reading the count before consuming it).
      // The key is the one limiter.define made, so counts carry on.
      const window = limiter.use({ requests, duration })
      const key = `${name}_user_${ctx.auth.getUserOrFail().id}`
      const allowed = await window.consume(key)
      let status = 500
      try {
        const response = await next()
        status = ctx.response.getStatus()
        ctx.response.header('X-RateLimit-Limit', allowed.limit)
        ctx.response.header('X-RateLimit-Remaining', allowed.remaining)
        return response
      } catch (error) {
        status = error.status ?? 500
        throw error
      } finally {
        // A request the route refused (a form error, a post one may not
        // see) did nothing: it is not one of the N.
        if (!keepRefused && status >= 400 && status < 500) await giveBack(window, key, name)
      }
    },
    (error: TooManyRequests) => {
      const { requests, duration } = rateLimits[name]
      const wait = retryAfterText(error.response.availableIn)
      error.setMessage(`You can send ${requests} ${things} every ${duration}: try again in ${wait}`)
      return Object.assign(error, { rule: 'rate_limit' })
    }
  )
}

/** Returns a consumed request to its window; a limiter gone meanwhile keeps it (logged). */
async function giveBack(window: Pick<Limiter, 'decrement'>, key: string, name: string) {
  try {
    await window.decrement(key)
  } catch (error) {
    logger.warn({ err: error, limiter: name }, 'a refused request still counts')
  }
}

export const throttlePosts = perAccount('postsPerAccount', 'posts')
export const throttleComments = perAccount('commentsPerAccount', 'comments')
export const throttleLikes = perAccount('likesPerAccount', 'likes')
export const throttleReports = perAccount('reportsPerAccount', 'reports')

/** Counts a request that carries a picture, after `uploads` has read it. */
export const throttlePictures = perAccount('picturesPerAccount', 'pictures', {
  counts: ({ request }) => Object.keys(request.allFiles()).length > 0,
  keepRefused: true,
})
