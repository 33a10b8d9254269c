/**
 * Issue "Safe to open to strangers", points 10 and 12 and the missing
 * Cache-Control: what a visitor without credentials can make the app do.
 * Each test is named after its hole and failed before its fix.
 */
import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import { Logger } from '@adonisjs/core/logger'
import { CookieClient } from '@adonisjs/core/http'
import encryption from '@adonisjs/core/services/encryption'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, route, validRegistration } from '#tests/helpers'
import { COOKIE, signInWithForm } from '#tests/session_helpers'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`

/** A request as a stranger sends it: no cookie, no token, no redirect followed. */
async function stranger(path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, base()), {
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
    ...init,
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/**
 * A browser over fetch: it keeps the cookies it is given (and drops the
 * ones cleared) and sends them back, and follows no redirect by itself.
 */
function visitor() {
  const jar = new Map<string, string>()
  const cookies = new CookieClient(encryption)
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (jar.size)
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    const response = await fetch(new URL(path, base()), { redirect: 'manual', ...init, headers })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      const cleared = !value || /max-age=(0|-)|expires=Thu, 01 Jan 1970/i.test(cookie)
      cleared ? jar.delete(name) : jar.set(name, value)
    }
    return { status: response.status, headers: response.headers, text: await response.text() }
  }
  return {
    jar,
    get: (path: string) => request(path),
    /** Posts a form with the CSRF token of the page at `from`, as the browser would. */
    async post(path: string, fields: Record<string, string>, from: string) {
      const page = await request(from)
      const token = /name='_csrf' value='([^']+)'/.exec(page.text)?.[1]
      if (!token) throw new Error(`no form on ${from}`)
      return request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: token }),
      })
    },
    /** The session id the browser holds. */
    sessionId: () => cookies.parse(COOKIE, decodeURIComponent(jar.get(COOKIE)!)) as string,
  }
}

/** Every key in this run's Redis database. */
const redisKeys = async () => new Set(await redis.keys('*'))

/** Records what reaches the logger at error level or above while `action` runs. */
async function errorsLoggedDuring(action: () => Promise<unknown>) {
  const logged: string[] = []
  const log = Logger.prototype.log
  Logger.prototype.log = function (this: Logger, level: string, ...rest: any[]) {
    if (level === 'error' || level === 'fatal') logged.push(`${level}: ${rest.at(-1)}`)
    return (log as (...args: any[]) => void).call(this, level, ...rest)
  }
  try {
    await action()
  } finally {
    Logger.prototype.log = log
  }
  return logged
}

/** The ways a stranger may call a route: bare, as an API client, as a browser's form. */
const VARIANTS: Record<string, (method: string) => RequestInit> = {
  'no body': () => ({}),
  'JSON': (method) => ({
    headers: { 'accept': 'application/json', 'content-type': 'application/json' },
    body: method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(FIELDS),
  }),
  'form': (method) => ({
    headers: {
      'accept': 'text/html,application/xhtml+xml',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: method === 'GET' || method === 'HEAD' ? undefined : new URLSearchParams(FIELDS),
  }),
  'multipart form': (method) => {
    if (method === 'GET' || method === 'HEAD') return { headers: { accept: 'text/html' } }
    const body = new FormData()
    for (const [name, value] of Object.entries(FIELDS)) body.append(name, value)
    body.append('picture', new Blob([Buffer.from('not an image')], { type: 'image/png' }), 'a.png')
    return { headers: { accept: 'text/html' }, body }
  },
}

/** Field names the app's forms and API use, with values a stranger might send. */
const FIELDS = {
  _csrf: 'not-a-token',
  _method: 'PUT',
  uid: 'someone',
  password: 'a password',
  email: 'someone@example.com',
  username: 'someone',
  text: 'hello',
  channel: 'notifications/1',
  token: 'x',
  ids: '1',
}

test.group('No request without credentials gets a 5xx', () => {
  test('every route, every method, every way of sending: no 5xx, nothing logged as an error', async ({
    assert,
  }) => {
    const routes = Object.values(router.toJSON()).flat()
    assert.isAbove(routes.length, 40)
    const failures: string[] = []
    const logged = await errorsLoggedDuring(async () => {
      for (const { pattern, methods } of routes) {
        const path = pattern.replace(/:\w+/g, '1').replace('*', 'x')
        for (const method of methods) {
          for (const [variant, init] of Object.entries(VARIANTS)) {
            const { status, text } = await stranger(path, { method, ...init(method) })
            if (status >= 500)
              failures.push(`${method} ${path} (${variant}): ${status} ${text.slice(0, 120)}`)
          }
        }
      }
    })
    assert.deepEqual(failures, [])
    assert.deepEqual(logged, [])
  }).timeout(180_000)
})

test.group('Hole 10: requests without credentials get 500s', () => {
  for (const [name, method] of [
    ['transmit.subscribe', 'POST'],
    ['transmit.unsubscribe', 'POST'],
    ['notifications.badge', 'GET'],
  ] as const) {
    test(`hole 10: ${method} ${name} without credentials answers 4xx, as JSON and as a page`, async ({
      assert,
    }) => {
      for (const accept of ['application/json', 'text/html', '*/*']) {
        const response = await stranger(route(name), {
          method,
          headers: { 'accept': accept, 'content-type': 'application/json' },
          body:
            method === 'POST'
              ? JSON.stringify({ uid: 'x', channel: 'notifications/1' })
              : undefined,
        })
        assert.isAtLeast(response.status, 400, `${accept}: ${response.status}`)
        assert.isBelow(
          response.status,
          500,
          `${accept}: ${response.status} ${response.text.slice(0, 200)}`
        )
      }
    })
  }

  test('hole 10: /media/..%2f.env is a 404 and nothing is logged at error level', async ({
    assert,
  }) => {
    for (const path of ['/media/..%2f.env', '/media/no-such-picture.webp', '/media/avatars/']) {
      let status = 0
      const logged = await errorsLoggedDuring(async () => {
        status = (await stranger(path)).status
      })
      assert.equal(status, 404, path)
      assert.deepEqual(logged, [], path)
    }
  })
})

test.group('Hole 12: every cookieless page view writes a session into Redis', () => {
  test('hole 12: 500 GET /login without a cookie add no Redis key', async ({ assert }) => {
    const before = await redisKeys()
    for (let round = 0; round < 50; round++) {
      const pages = await Promise.all(Array.from({ length: 10 }, () => stranger(route('login'))))
      for (const page of pages) assert.equal(page.status, 200)
    }
    const added = [...(await redisKeys())].filter((key) => !before.has(key))
    assert.deepEqual(added, [])
  }).timeout(120_000)
})

test.group('Hole 12: guests keep their session in a cookie, signed-in users in Redis', (group) => {
  isolateDatabase(group)

  test('hole 12: a failed sign-in shows its message and keeps the username, with nothing in Redis', async ({
    assert,
  }) => {
    const browser = visitor()
    const user = await UserFactory.create()
    const before = await redisKeys()
    const refused = await browser.post(
      route('login.store'),
      { uid: user.username, password: 'not the password' },
      route('login')
    )
    assert.equal(refused.status, 302)
    const page = await browser.get(route('login'))
    assert.include(page.text, 'The username, email or password is not right')
    assert.include(page.text, `value="${user.username}"`)
    // Nothing but the rate limiter's counters.
    const added = [...(await redisKeys())].filter((key) => !before.has(key))
    assert.notInclude(added, browser.sessionId())
    assert.equal(await redis.exists(browser.sessionId()), 0)
  })

  test('signing in moves the session to Redis, tagged; signing out ends it there', async ({
    assert,
  }) => {
    const browser = visitor()
    const user = await UserFactory.create()
    await browser.get(route('login'))
    const guestId = browser.sessionId()
    assert.isTrue(browser.jar.has(guestId), 'the guest session is a cookie of its own')

    const signedIn = await browser.post(
      route('login.store'),
      { uid: user.username, password: FACTORY_PASSWORD },
      route('login')
    )
    assert.equal(signedIn.status, 302)
    const sessionId = browser.sessionId()
    assert.notEqual(sessionId, guestId)
    assert.isFalse(browser.jar.has(guestId), 'the guest cookie is cleared')
    assert.isFalse(browser.jar.has(sessionId), 'a signed-in session is not a cookie')
    assert.equal(await redis.exists(sessionId), 1)
    assert.equal(await redis.sismember(`session_tag:${user.id}`, sessionId), 1)
    assert.include((await browser.get(route('feed'))).text, user.username)

    const signedOut = await browser.post(route('logout'), {}, route('feed'))
    assert.equal(signedOut.status, 302)
    assert.equal(await redis.exists(sessionId), 0)
    assert.include((await browser.get(route('home'))).text, 'You are signed out')
    assert.equal(await redis.exists(browser.sessionId()), 0)
  })

  test('a guest form posted with 100 KB typed still answers with headers a proxy accepts', async ({
    assert,
  }) => {
    const browser = visitor()
    const long = 'x'.repeat(100_000)
    const refused = await browser.post(
      route('register.store'),
      { ...validRegistration, first_name: long, last_name: long },
      route('register')
    )
    assert.equal(refused.status, 302)
    const headerBytes = [...refused.headers].reduce(
      (sum, [k, v]) => sum + k.length + v.length + 4,
      0
    )
    // Nginx reads an answer's headers into one 4 KB buffer (proxy_buffer_size).
    assert.isBelow(headerBytes, 4096)
    const page = await browser.get(route('register'))
    assert.include(page.text, 'The form could not be saved')
    assert.equal(await redis.exists(browser.sessionId()), 0)
  })
})

test.group('Cache-Control on signed-in pages', (group) => {
  isolateDatabase(group)

  test('every page a signed-in user gets says private, no-store', async ({ client, assert }) => {
    const user = await UserFactory.create()
    await user.load('profile')
    const cookie = await signInWithForm(client, user)
    const pages = router
      .toJSON()
      .root.filter((r) => r.methods.includes('GET') && !r.pattern.startsWith('/api'))
    assert.isAbove(pages.length, 5)
    for (const page of pages) {
      // The stream, the health checks and Drive's files run no session.
      if (['/__transmit', '/health', '/media'].some((prefix) => page.pattern.startsWith(prefix)))
        continue
      const path = page.pattern.replace(/:\w+/g, String(user.profile.id)).replace('*', 'x')
      const response = await client.get(path).withCookie(COOKIE, cookie).redirects(0)
      assert.equal(
        response.header('cache-control'),
        'private, no-store',
        `${page.pattern}: ${response.status()}`
      )
    }
  })
})
