import { test } from '@japa/runner'
import { errors, LimiterResponse } from '@adonisjs/limiter'
import { failOpen } from '#start/limiter'

const headers: Record<string, unknown> = {}
const ctx = {
  response: { header: (name: string, value: unknown) => (headers[name] = value) },
} as any
const tooMany = new errors.E_TOO_MANY_REQUESTS(
  new LimiterResponse({ limit: 5, remaining: 0, consumed: 6, availableIn: 900 })
)

test.group('failOpen', () => {
  test('lets the request through when the limiter store fails', async ({ assert }) => {
    const middleware = failOpen('test', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    })
    assert.equal(await middleware(ctx, async () => 'handled'), 'handled')
  })

  test('still answers 429 when the limit is reached', async ({ assert }) => {
    const middleware = failOpen('test', async () => {
      throw tooMany
    })
    await assert.rejects(
      () => middleware(ctx, async () => 'handled'),
      'Too many attempts, try again in 15 minutes'
    )
  })

  test("does not swallow the route's own errors", async ({ assert }) => {
    const middleware = failOpen('test', (_, next) => next())
    await assert.rejects(
      () =>
        middleware(ctx, async () => {
          throw new Error('route failed')
        }),
      'route failed'
    )
  })
})
