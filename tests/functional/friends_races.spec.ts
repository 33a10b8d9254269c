import { test } from '@japa/runner'
import FriendRequest from '#models/friend_request'
import { UserFactory } from '#database/factories/user_factory'
import { befriend, friendshipRows, requestBetween } from '#tests/friends'
import { truncateTables } from '#tests/helpers'
import type User from '#models/user'

const RACERS = 20

async function rowsBetween(a: User, b: User) {
  const friendships = await friendshipRows(a, b)
  const pending = await FriendRequest.query()
    .where('status', 'pending')
    .whereIn('sender_id', [a.id, b.id])
    .whereIn('receiver_id', [a.id, b.id])
  return { friendships: friendships.length, pending: pending.length }
}

function count(statuses: number[]) {
  const counts: Record<number, number> = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

/** Bearer tokens made up front, so the race is only the requests themselves. */
async function tokenOf(user: User) {
  const token = await (user.constructor as typeof User).accessTokens.create(user)
  return `Bearer ${token.value!.release()}`
}

async function race(make: (i: number) => Promise<{ status(): number }>) {
  const responses = await Promise.all(Array.from({ length: RACERS }, (_, i) => make(i)))
  return responses.map((response) => response.status())
}

/**
 * Real concurrency needs real connections: no wrapping transaction here,
 * the tables are emptied instead.
 */
test.group('Races: one pair of users, 20 requests at once', (group) => {
  group.each.setup(() => truncateTables())

  test('20 sends one way: one 201, the rest 422, one pending request', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const token = await tokenOf(ada)
    const statuses = await race(() =>
      client
        .post(route('api.friend_requests.store'))
        .header('authorization', token)
        .json({ receiver_id: bob.id })
    )
    console.log('20 sends one way:', count(statuses))
    assert.deepEqual(count(statuses), { 201: 1, 422: RACERS - 1 })
    assert.deepEqual(await rowsBetween(ada, bob), { friendships: 0, pending: 1 })
  }).timeout(60_000)

  test('20 sends both ways: one 201, one 200 accepting it, the rest 422; friends once', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const tokens = [await tokenOf(ada), await tokenOf(bob)]
    const ids = [bob.id, ada.id]
    const statuses = await race((i) =>
      client
        .post(route('api.friend_requests.store'))
        .header('authorization', tokens[i % 2])
        .json({ receiver_id: ids[i % 2] })
    )
    console.log('20 sends both ways:', count(statuses))
    assert.deepEqual(count(statuses), { 200: 1, 201: 1, 422: RACERS - 2 })
    assert.deepEqual(await rowsBetween(ada, bob), { friendships: 2, pending: 0 })
  }).timeout(60_000)

  test('20 accepts of one request: one 200, the rest 409; both rows once', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const request = await requestBetween(ada, bob)
    const token = await tokenOf(bob)
    const statuses = await race(() =>
      client
        .post(route('api.friend_requests.accept', { id: request.id }))
        .header('authorization', token)
    )
    console.log('20 accepts:', count(statuses))
    assert.deepEqual(count(statuses), { 200: 1, 409: RACERS - 1 })
    assert.deepEqual(await rowsBetween(ada, bob), { friendships: 2, pending: 0 })
  }).timeout(60_000)

  test('10 accepts racing 10 cancels: friends or not, never half', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const request = await requestBetween(ada, bob)
    const [sender, receiver] = [await tokenOf(ada), await tokenOf(bob)]
    const statuses = await race((i) =>
      i % 2
        ? client
            .post(route('api.friend_requests.accept', { id: request.id }))
            .header('authorization', receiver)
        : client
            .delete(route('api.friend_requests.destroy', { id: request.id }))
            .header('authorization', sender)
    )
    const counts = count(statuses)
    console.log('accepts vs cancels:', counts)
    assert.equal((counts[200] ?? 0) + (counts[204] ?? 0), 1)
    assert.isTrue(statuses.every((status) => [200, 204, 404, 409].includes(status)))
    const rows = await rowsBetween(ada, bob)
    assert.equal(rows.pending, 0)
    assert.equal(rows.friendships, counts[200] ? 2 : 0)
  }).timeout(60_000)

  test('20 unfriends from both sides: one 204, the rest 404; no row left', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    await befriend(ada, bob)
    const tokens = [await tokenOf(ada), await tokenOf(bob)]
    const others = [bob.id, ada.id]
    const statuses = await race((i) =>
      client
        .delete(route('api.friends.destroy', { user_id: others[i % 2] }))
        .header('authorization', tokens[i % 2])
    )
    console.log('20 unfriends:', count(statuses))
    assert.deepEqual(count(statuses), { 204: 1, 404: RACERS - 1 })
    assert.deepEqual(await rowsBetween(ada, bob), { friendships: 0, pending: 0 })
  }).timeout(60_000)
})
