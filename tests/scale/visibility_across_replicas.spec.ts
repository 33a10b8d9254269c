import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { UserFactory } from '#database/factories/user_factory'
import User from '#models/user'
import { truncateTables } from '#tests/helpers'
import { BuiltApp } from '#tests/integration/helpers/built_app'

const SECRET = 'Only my friends may read this'

/**
 * Two built app replicas on one MySQL and one Redis. Every change is made
 * on replica A and read at once on replica B, whose caches held the earlier
 * answer: an unfriend takes a friends post away from the former friend, and
 * a block hides each from the other, on the replica that did not make it.
 */
test.group('Blocks and audience across replicas (built apps)', (group) => {
  let appA: BuiltApp
  let appB: BuiltApp

  // Emptied once, before the replicas start: ids go on rising from test to
  // test, so no cache (Redis's post cache, a replica's memory) holds an
  // earlier test's user or post under a new one's id.
  group.setup(async () => {
    await truncateTables()
    await redis.flushdb()
    await BuiltApp.build()
    ;[appA, appB] = await Promise.all([BuiltApp.start(), BuiltApp.start()])
    return async () => {
      await Promise.all([appA.stop(), appB.stop()])
    }
  })

  async function bearer(user: User) {
    const token = await User.accessTokens.create(user)
    return `Bearer ${token.value!.release()}`
  }

  /** One JSON call on a replica; the answer's status and body. */
  async function call(app: BuiltApp, path: string, token: string | null, init: RequestInit = {}) {
    const response = await fetch(`http://${app.address}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: token } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
      },
    })
    const text = await response.text()
    return { status: response.status, text }
  }

  async function friends(author: User, friend: User) {
    const sent = await call(appA, '/api/friend-requests', await bearer(friend), {
      method: 'POST',
      body: JSON.stringify({ receiver_id: author.id }),
    })
    const { id } = JSON.parse(sent.text)
    await call(appA, `/api/friend-requests/${id}/accept`, await bearer(author), { method: 'POST' })
  }

  test('an unfriend on one replica takes a friends post away on the other at once', async ({
    assert,
  }) => {
    const [ada, bob, eve] = await UserFactory.createMany(3)
    const [adaToken, bobToken, eveToken] = [await bearer(ada), await bearer(bob), await bearer(eve)]
    await friends(ada, bob)
    const posted = await call(appA, '/api/posts', adaToken, {
      method: 'POST',
      body: JSON.stringify({ text: SECRET, audience: 'friends' }),
    })
    assert.equal(posted.status, 201)
    const postPath = `/api/posts/${JSON.parse(posted.text).id}`

    // Replica B has read it as each of them, and filled its caches.
    assert.equal((await call(appB, postPath, bobToken)).status, 200)
    assert.include((await call(appB, '/api/feed', bobToken)).text, SECRET)
    assert.equal((await call(appB, postPath, eveToken)).status, 404)
    assert.equal((await call(appB, postPath, null)).status, 404)
    assert.notInclude((await call(appB, `/api/users/${ada.id}/posts`, eveToken)).text, SECRET)
    const page = await fetch(`http://${appB.address}/users/${ada.id}`)
    assert.notInclude(await page.text(), SECRET, 'the cookieless page')

    const ended = await call(appA, `/api/friends/${bob.id}`, adaToken, { method: 'DELETE' })
    assert.equal(ended.status, 204)
    assert.equal((await call(appB, postPath, bobToken)).status, 404)
    assert.notInclude((await call(appB, '/api/feed', bobToken)).text, SECRET)
    assert.notInclude((await call(appB, `/api/users/${ada.id}/posts`, bobToken)).text, SECRET)
  }).timeout(60_000)

  test('a block on one replica hides each from the other on the other replica at once', async ({
    assert,
  }) => {
    const [ada, eve] = await UserFactory.createMany(2)
    const [adaToken, eveToken] = [await bearer(ada), await bearer(eve)]
    await friends(ada, eve)
    const posted = await call(appA, '/api/posts', adaToken, {
      method: 'POST',
      body: JSON.stringify({ text: 'A public post', audience: 'public' }),
    })
    const postPath = `/api/posts/${JSON.parse(posted.text).id}`
    assert.equal((await call(appB, `/api/users/${ada.id}`, eveToken)).status, 200)
    assert.equal((await call(appB, postPath, eveToken)).status, 200)
    assert.include((await call(appB, '/api/feed', eveToken)).text, 'A public post')

    const blocked = await call(appA, `/api/users/${ada.id}/block`, eveToken, { method: 'PUT' })
    assert.equal(blocked.status, 204)
    assert.equal((await call(appB, `/api/users/${ada.id}`, eveToken)).status, 404)
    assert.equal((await call(appB, `/api/users/${eve.id}`, adaToken)).status, 404)
    assert.equal((await call(appB, postPath, eveToken)).status, 404)
    assert.notInclude((await call(appB, '/api/feed', eveToken)).text, 'A public post')
    // Everyone else still sees both.
    assert.equal((await call(appB, postPath, null)).status, 200)
  }).timeout(60_000)
})
