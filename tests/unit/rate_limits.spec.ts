import { test } from '@japa/runner'
import { failOpen } from '#start/limiter'

const ctx = {} as any
const tooMany = Object.assign(new Error('Too many requests'), { code: 'E_TOO_MANY_REQUESTS' })

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
    await assert.rejects(() => middleware(ctx, async () => 'handled'), 'Too many requests')
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
