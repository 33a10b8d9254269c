import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { AccountsService } from '#services/accounts/accounts_service'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import { CacheInvalidation } from '#cache/invalidation'
import { CacheStores } from '#cache/stores'
import FriendRequest from '#models/friend_request'
import { hasSorted } from '#helpers/sorted_ids'
import { befriend } from '#tests/friends'
import { isolateDatabase, replicaCache, waitUntil } from '#tests/helpers'

/** A bearer token made by the real provider, and its row id. */
async function tokenFor(user: User, options?: { expiresIn?: number }) {
  const token = await User.accessTokens.create(user, ['*'], options)
  return { value: token.value!.release(), id: Number(token.identifier) }
}

const lastUsedAt = async (tokenId: number) =>
  (await db.from('auth_access_tokens').where('id', tokenId).first())?.last_used_at as Date | null

/**
 * Signed-in requests find the token and the user in memory. These prove that
 * a revoked token, a deleted user or a changed one is never served from it.
 */
test.group('Signed-in cache', (group) => {
  isolateDatabase(group)

  test('a token revoked by sign-out answers 401 at once', async ({ client, route }) => {
    const user = await UserFactory.create()
    const { value } = await tokenFor(user)
    const me = () => client.get(route('api.me')).bearerToken(value)

    ;(await me()).assertStatus(200)
    ;(await me()).assertStatus(200) // now from the cache
    ;(await client.post(route('api.auth.logout')).bearerToken(value)).assertStatus(204)
    ;(await me()).assertStatus(401)
    ;(await client.get(route('api.users.show', { id: user.id })).bearerToken(value)).assertStatus(
      401
    )
  })

  test('a token whose secret is wrong is refused even while its row is cached', async ({
    client,
    route,
  }) => {
    const user = await UserFactory.create()
    const { value } = await tokenFor(user)
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(200)

    const forged = value.slice(0, -4) + (value.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    ;(await client.get(route('api.me')).bearerToken(forged)).assertStatus(401)
  })

  test('an expired token is refused though its row is cached', async ({ client, route }) => {
    const user = await UserFactory.create()
    const { value } = await tokenFor(user, { expiresIn: 1 })
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(401)
  })

  test('a deleted account signs in no more, and a changed user is seen changed', async ({
    client,
    route,
    assert,
  }) => {
    const [kept, deleted] = await UserFactory.createMany(2)
    const keptToken = await tokenFor(kept)
    const deletedToken = await tokenFor(deleted)
    ;(await client.get(route('api.me')).bearerToken(keptToken.value)).assertStatus(200)
    ;(await client.get(route('api.me')).bearerToken(deletedToken.value)).assertStatus(200)

    // As a use case does: the change, then its event.
    kept.email = 'renamed@example.com'
    await kept.save()
    await emitter.emit('user.updated', { userId: kept.id })
    const me = await client.get(route('api.me')).bearerToken(keptToken.value)
    assert.equal(me.body().email, 'renamed@example.com')

    const accounts = await app.container.make(AccountsService)
    await accounts.deleteAccount(deleted, FACTORY_PASSWORD)
    // Its event goes out once the deletion commits, just after deleteAccount returns.
    await waitUntil(
      async () =>
        (await client.get(route('api.me')).bearerToken(deletedToken.value)).status() === 401,
      1000
    )
  })

  test('each request gets its own model of the kept user, as Lucid reads it from the row', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    const signedIn = await app.container.make(SignedInUsers)
    const first = (await signedIn.user(user.id))!
    const read = (await User.find(user.id))!
    assert.deepEqual(first.$attributes, read.$attributes)
    assert.deepEqual(first.$original, read.$original)
    assert.isTrue(first.$isPersisted)
    assert.isFalse(first.$isDirty)
    assert.isTrue(first.createdAt.equals(read.createdAt))

    // A change to one request's model reaches neither the kept user nor the next request's.
    first.firstName = 'Changed'
    assert.deepEqual(first.$dirty, { firstName: 'Changed' })
    const second = (await signedIn.user(user.id))!
    assert.equal(second.firstName, user.firstName)
    assert.isFalse(second.$isDirty)

    // And a save writes what changed.
    await first.save()
    assert.equal((await User.findOrFail(user.id)).firstName, 'Changed')
  })

  test("a deleted account leaves no one's kept relations naming it", async ({ assert }) => {
    const [deleted, friend, asked, stranger] = await UserFactory.createMany(4)
    await befriend(deleted, friend)
    await FriendRequest.create({ senderId: asked.id, receiverId: deleted.id, status: 'pending' })
    const signedIn = await app.container.make(SignedInUsers)
    const stores = await app.container.make(CacheStores)
    for (const user of [friend, asked, stranger]) await signedIn.relations(user.id)

    const accounts = await app.container.make(AccountsService)
    await accounts.deleteAccount(deleted, FACTORY_PASSWORD)
    assert.isUndefined(stores.relations.get(friend.id))
    assert.isUndefined(stores.relations.get(asked.id))
    assert.isDefined(stores.relations.get(stranger.id))
    assert.isFalse(hasSorted((await signedIn.relations(friend.id)).friends, deleted.id))
  })

  test("a password change ends the user's other tokens at once, cached or not", async ({
    client,
    route,
    assert,
  }) => {
    const user = await UserFactory.create()
    const [current, other] = [await tokenFor(user), await tokenFor(user)]
    ;(await client.get(route('api.me')).bearerToken(other.value)).assertStatus(200)

    const changed = await client
      .put(route('api.me.password'))
      .bearerToken(current.value)
      .json({ current_password: FACTORY_PASSWORD, password: 'a brand new passphrase' })
    changed.assertStatus(204)
    ;(await client.get(route('api.me')).bearerToken(other.value)).assertStatus(401)
    ;(await client.get(route('api.me')).bearerToken(current.value)).assertStatus(200)
    // And the cached user has the new password, not the old one.
    const fresh = await (await app.container.make(SignedInUsers)).user(user.id)
    assert.isTrue(await fresh!.verifyPassword('a brand new passphrase'))
  })

  test('tokens deleted in SQL stop working once their invalidation is sent', async ({
    client,
    route,
  }) => {
    const user = await UserFactory.create()
    const { value } = await tokenFor(user)
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(200)

    await db.from('auth_access_tokens').where('tokenable_id', user.id).delete()
    await (await app.container.make(CacheInvalidation)).tokens(user.id)
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(401)
  })

  test('last_used_at is written on first use, then at most once a minute', async ({
    client,
    route,
    assert,
  }) => {
    const user = await UserFactory.create()
    const { value, id } = await tokenFor(user)
    assert.isNull(await lastUsedAt(id))

    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(200)
    await waitUntil(async () => (await lastUsedAt(id)) !== null, 2000)
    const first = await lastUsedAt(id)

    await new Promise((resolve) => setTimeout(resolve, 1100))
    ;(await client.get(route('api.me')).bearerToken(value)).assertStatus(200)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.deepEqual(await lastUsedAt(id), first)
  })

  test('another replica refuses a revoked token within a second (Redis bus)', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    const replica = await replicaCache()
    cleanup(() => replica.close())
    const replicaB = new SignedInUsers(replica.stores)
    const user = await UserFactory.create()
    const { value, id } = await tokenFor(user)
    assert.exists(await replicaB.token(id, 'auth_access_tokens'))
    assert.exists(await replicaB.user(user.id))

    ;(await client.post(route('api.auth.logout')).bearerToken(value)).assertStatus(204)

    // Replica B still holds the row until the bus message crosses Redis.
    const revokedAt = Date.now()
    await waitUntil(async () => (await replicaB.token(id, 'auth_access_tokens')) === null, 1000)
    assert.isBelow(Date.now() - revokedAt, 1000)

    // A change to the user reaches B's copy of the user the same way.
    user.firstName = 'Changed'
    await user.save()
    await emitter.emit('user.updated', { userId: user.id })
    await waitUntil(async () => (await replicaB.user(user.id))?.firstName === 'Changed', 1000)
  })
})

/**
 * How a viewer stands with others (the `friendship` field) comes from a
 * cached snapshot per viewer: every change between two users drops both.
 */
test.group('Signed-in cache / relations', (group) => {
  isolateDatabase(group)

  test('the friendship field follows every change at once', async ({ client, route, assert }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const [adaToken, bobToken] = [(await tokenFor(ada)).value, (await tokenFor(bob)).value]
    const state = async (token: string, id: number) =>
      (await client.get(route('api.users.show', { id })).bearerToken(token)).body().friendship
    const send = async () =>
      (
        await client
          .post(route('api.friend_requests.store'))
          .bearerToken(adaToken)
          .json({ receiver_id: bob.id })
      ).body().id

    // Both snapshots are cached before each change.
    assert.equal(await state(adaToken, bob.id), 'none')
    assert.equal(await state(bobToken, ada.id), 'none')

    let requestId = await send()
    assert.equal(await state(adaToken, bob.id), 'request_sent')
    assert.equal(await state(bobToken, ada.id), 'request_received')

    await client.post(route('api.friend_requests.decline', { id: requestId })).bearerToken(bobToken)
    assert.equal(await state(adaToken, bob.id), 'none')
    assert.equal(await state(bobToken, ada.id), 'none')

    requestId = await send()
    assert.equal(await state(bobToken, ada.id), 'request_received')
    await client
      .delete(route('api.friend_requests.destroy', { id: requestId }))
      .bearerToken(adaToken)
    assert.equal(await state(adaToken, bob.id), 'none')
    assert.equal(await state(bobToken, ada.id), 'none')

    requestId = await send()
    await client.post(route('api.friend_requests.accept', { id: requestId })).bearerToken(bobToken)
    assert.equal(await state(adaToken, bob.id), 'friends')
    assert.equal(await state(bobToken, ada.id), 'friends')

    await client.delete(route('api.friends.destroy', { user_id: ada.id })).bearerToken(bobToken)
    assert.equal(await state(adaToken, bob.id), 'none')
    assert.equal(await state(bobToken, ada.id), 'none')
  })

  test('another replica drops its snapshot within a second (Redis bus)', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    const replica = await replicaCache()
    cleanup(() => replica.close())
    const replicaB = new SignedInUsers(replica.stores)
    const [ada, bob] = await UserFactory.createMany(2)
    assert.equal((await replicaB.relations(bob.id)).pending.size, 0)

    const sent = await client
      .post(route('api.friend_requests.store'))
      .bearerToken((await tokenFor(ada)).value)
      .json({ receiver_id: bob.id })
    sent.assertStatus(201)
    await waitUntil(async () => (await replicaB.relations(bob.id)).pending.has(ada.id), 1000)
  })
})
