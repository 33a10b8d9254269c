import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import rateLimits from '#config/rate_limits'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, rawRequest, validRegistration } from '#tests/helpers'

/** A client address of its own, so each test starts with fresh IP buckets. */
let nextAddress = 1
const freshIp = () => `203.0.113.${nextAddress++}`

test.group('Security / rate limits', (group) => {
  isolateDatabase(group)

  test('registration: per IP, then 429 with Retry-After', async ({ client, assert }) => {
    const ip = freshIp()
    const { requests } = rateLimits.registrationsPerIp
    for (let i = 0; i < requests; i++) {
      const response = await client
        .post('/api/users')
        .header('x-forwarded-for', ip)
        .json({ ...validRegistration, username: `user${i}`, email: `user${i}@example.com` })
      response.assertStatus(201)
    }
    const blocked = await client
      .post('/api/users')
      .header('x-forwarded-for', ip)
      .json({ ...validRegistration, username: 'onemore', email: 'onemore@example.com' })
    blocked.assertStatus(429)
    assert.isAbove(Number(blocked.header('retry-after')), 0)
    assert.match(blocked.body().errors[0].message, /^Too many attempts, try again in/)

    // Another address is not affected.
    const other = await client
      .post('/api/users')
      .header('x-forwarded-for', freshIp())
      .json({ ...validRegistration, username: 'elsewhere', email: 'elsewhere@example.com' })
    other.assertStatus(201)
  }).timeout(60_000)

  test('sign-in: an account locks after repeated failures from many IPs', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const { requests } = rateLimits.failedSignInsPerAccount
    for (let i = 0; i < requests; i++) {
      const response = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: user.username, password: 'wrong password' })
      response.assertStatus(401)
    }
    // Even the right password is refused while the account is locked.
    const locked = await client
      .post('/api/auth/login')
      .header('x-forwarded-for', freshIp())
      .json({ uid: user.username.toUpperCase(), password: FACTORY_PASSWORD })
    locked.assertStatus(429)
    assert.isAbove(Number(locked.header('retry-after')), 0)
  }).timeout(60_000)

  test('sign-in: one IP is limited across accounts', async ({ client }) => {
    const ip = freshIp()
    const { requests } = rateLimits.signInsPerIp
    for (let i = 0; i < requests; i++) {
      ;(
        await client
          .post('/api/auth/login')
          .header('x-forwarded-for', ip)
          .json({ uid: `nobody${i}`, password: 'whatever1' })
      ).assertStatus(401)
    }
    const blocked = await client
      .post('/api/auth/login')
      .header('x-forwarded-for', ip)
      .json({ uid: 'nobody', password: 'whatever1' })
    blocked.assertStatus(429)
  }).timeout(60_000)

  test('sign-in: an IP over its limit is blocked for 5 minutes, right password or not', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const ip = freshIp()
    for (let i = 0; i <= rateLimits.signInsPerIp.requests; i++) {
      await client
        .post('/api/auth/login')
        .header('x-forwarded-for', ip)
        .json({ uid: `nobody${i}`, password: 'whatever1' })
    }
    const blocked = await client
      .post('/api/auth/login')
      .header('x-forwarded-for', ip)
      .json({ uid: user.username, password: FACTORY_PASSWORD })
    blocked.assertStatus(429)
    // The window is 1 minute; the block that follows is 5, counted from the excess.
    const retryAfter = Number(blocked.header('retry-after'))
    assert.isAbove(retryAfter, 240)
    assert.isAtMost(retryAfter, 300)
  }).timeout(60_000)

  test('sign-in works while the limiter store (Redis) is down', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const connection = redis.connection('main')
    const ended = new Promise((resolve) => connection.ioConnection.once('end', resolve))
    await connection.disconnect()
    await ended
    try {
      assert.notEqual(connection.ioConnection.status, 'ready')
      const started = Date.now()
      const api = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: user.username, password: FACTORY_PASSWORD })
      api.assertStatus(200)
      assert.isString(api.body().token)
      // Without a limiter, a wrong password is still refused.
      const wrong = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: user.username, password: 'wrong password' })
      wrong.assertStatus(401)
      assert.isBelow(Date.now() - started, 5000)
    } finally {
      const io = connection.ioConnection
      if (io.status === 'end' || io.status === 'wait') await io.connect()
      else if (io.status !== 'ready') await new Promise((resolve) => io.once('ready', resolve))
    }
  }).timeout(30_000)

  test('the sign-in form shows a 429 page with Retry-After', async ({ client, assert }) => {
    const user = await UserFactory.create()
    for (let i = 0; i < rateLimits.failedSignInsPerAccount.requests; i++) {
      await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: user.username, password: 'wrong password' })
    }
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ uid: user.username, password: FACTORY_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(429)
    assert.include(response.text(), 'Too many attempts, try again in 15 minutes')
    assert.isAbove(Number(response.header('retry-after')), 600)
  })
})

test.group('Security / sessions, tokens and headers', (group) => {
  isolateDatabase(group)

  test('signing in issues a new session id', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const page = await client.get('/login')
    const before = page.cookie('gsocial-session')?.value
    assert.exists(before)

    const response = await client
      .post('/login')
      .withCookie('gsocial-session', before)
      .form({ uid: user.username, password: FACTORY_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    const after = response.cookie('gsocial-session')?.value
    assert.exists(after)
    assert.notEqual(after, before)
  })

  test('the session cookie is HttpOnly and SameSite=Lax', async ({ client, assert }) => {
    const response = await client.get('/login')
    const cookies: string[] = [response.header('set-cookie')]
      .flat()
      .filter((c): c is string => Boolean(c))
    const header = cookies.find((cookie) => cookie.startsWith('gsocial-session='))
    assert.match(header!, /HttpOnly/i)
    assert.match(header!, /SameSite=Lax/i)
  })

  test('access tokens are stored hashed and expire after 30 days', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .post('/api/auth/login')
      .json({ uid: user.username, password: FACTORY_PASSWORD })
    response.assertStatus(200)
    const { token, expires_at: expiresAt } = response.body()
    const secret = token.split('.').at(-1)

    const row = await db.from('auth_access_tokens').where('tokenable_id', user.id).firstOrFail()
    assert.match(row.hash, /^[0-9a-f]{64}$/)
    assert.notInclude(JSON.stringify(row), secret)

    const days = DateTime.fromJSDate(row.expires_at).diffNow('days').days
    assert.closeTo(days, 30, 0.01)
    // The column keeps whole seconds.
    assert.closeTo(DateTime.fromISO(expiresAt).toMillis(), row.expires_at.getTime(), 1000)
  })

  test('an expired access token is refused', async ({ client }) => {
    const user = await UserFactory.create()
    const token = await (await import('#models/user')).default.accessTokens.create(user)
    await db
      .from('auth_access_tokens')
      .where('id', String(token.identifier))
      .update({ expires_at: DateTime.utc().minus({ minutes: 1 }).toJSDate() })
    const response = await client.get('/api/me').bearerToken(token.value!.release())
    response.assertStatus(401)
  })

  test('pages carry CSP without inline scripts, frame denial and nosniff', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/register')
    const csp = response.header('content-security-policy')
    assert.include(csp, "script-src 'self'")
    assert.notInclude(csp, 'unsafe-inline')
    assert.include(csp, "frame-ancestors 'none'")
    response.assertHeader('x-frame-options', 'DENY')
    response.assertHeader('x-content-type-options', 'nosniff')
    // HSTS only in production, where TLS terminates in front of us.
    assert.isUndefined(response.header('strict-transport-security'))
  })

  test('the API refuses bodies that are neither JSON nor multipart', async ({ assert }) => {
    const response = await rawRequest('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=ada',
    })
    assert.equal(response.status, 415)
    const body = (await response.json()) as { errors: { message: string }[] }
    assert.match(body.errors[0].message, /application\/json/)
  })
})
