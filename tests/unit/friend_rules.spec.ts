import { test } from '@japa/runner'
import FriendRequest from '#models/friend_request'
import { PeopleSearch } from '#services/users/people_search'
import {
  friendRequestListValidator,
  peopleSearchValidator,
  sendFriendRequestValidator,
} from '#validators/friend_request'

test.group('Friend rules', () => {
  test('one pair key per pair of users, whichever way round', ({ assert }) => {
    assert.equal(FriendRequest.pairKey(7, 3), '3:7')
    assert.equal(FriendRequest.pairKey(3, 7), '3:7')
    assert.notEqual(FriendRequest.pairKey(3, 71), FriendRequest.pairKey(37, 1))
  })

  test('receiver_id is a positive whole number', async ({ assert }) => {
    assert.deepEqual(await sendFriendRequestValidator.validate({ receiver_id: '5' }), {
      receiver_id: 5,
    })
    for (const bad of [0, -1, 1.5, 'x', null, [5], ['5'], { id: 5 }, true, '0x10', '1e3']) {
      await assert.rejects(() => sendFriendRequestValidator.validate({ receiver_id: bad }))
    }
  })

  test('a page position given as a list (?before[]=5) is refused, not read as 5', async ({
    assert,
  }) => {
    assert.deepEqual(await friendRequestListValidator.validate({ before: '5' }), { before: 5 })
    await assert.rejects(() => friendRequestListValidator.validate({ before: ['5'] }))
    await assert.rejects(() => friendRequestListValidator.validate({ limit: [5] }))
  })

  test('direction is incoming or outgoing; pages take limit and before', async ({ assert }) => {
    assert.deepEqual(
      await friendRequestListValidator.validate({ direction: 'outgoing', limit: '5' }),
      {
        direction: 'outgoing',
        limit: 5,
      }
    )
    await assert.rejects(() => friendRequestListValidator.validate({ direction: 'all' }))
    await assert.rejects(() => friendRequestListValidator.validate({ limit: 51 }))
  })

  test('q: at most 100 characters, trimmed', async ({ assert }) => {
    assert.deepEqual(await peopleSearchValidator.validate({ q: '  ada ' }), { q: 'ada' })
    await peopleSearchValidator.validate({ q: 'a'.repeat(100) })
    await assert.rejects(() => peopleSearchValidator.validate({ q: 'a'.repeat(101) }))
  })
})

test.group('PeopleSearch query', () => {
  const search = new PeopleSearch()

  test('one prefix branch per name column, LIKE wildcards escaped', ({ assert }) => {
    const { sql, bindings } = search.query('a%b_', { limit: 10 })
    assert.equal(sql.match(/UNION/g)?.length, 2)
    assert.include(bindings, 'a\\%b\\_%')
    assert.equal(bindings.at(-1), 11)
  })

  test('two words also match first and last name together; @ is dropped', ({ assert }) => {
    const { sql, bindings } = search.query('@ada  lov', { before: 50 })
    assert.equal(sql.match(/UNION/g)?.length, 3)
    assert.include(bindings, 'ada lov%')
    assert.include(bindings, 'ada%')
    assert.include(bindings, 'lov%')
    assert.include(bindings, 50)
  })

  test('no q: the newest members', ({ assert }) => {
    const { sql, bindings } = search.query(undefined, {})
    assert.notInclude(sql, 'LIKE')
    assert.deepEqual(bindings, [21])
  })
})
