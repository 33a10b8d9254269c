import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'
import { PeopleSearch } from '#services/users/people_search'

test.group('API / finding people', (group) => {
  isolateDatabase(group)

  test('prefix of username, first or last name; case and accents ignored', async ({
    client,
    route,
    assert,
  }) => {
    const zoe = await UserFactory.merge({
      username: 'zed_z',
      firstName: 'Zoë',
      lastName: 'Ångström',
    }).create()
    const ada = await UserFactory.merge({
      username: 'countess',
      firstName: 'Ada',
      lastName: 'Lovelace',
    }).create()
    const other = await UserFactory.merge({
      username: 'other',
      firstName: 'Bob',
      lastName: 'Smith',
    }).create()

    const cases: [string, number[]][] = [
      ['ZOE', [zoe.id]],
      ['angs', [zoe.id]],
      ['COUNT', [ada.id]],
      ['@count', [ada.id]],
      ['love', [ada.id]],
      ['ada lov', [ada.id]],
      ['ovelace', []],
      // LIKE's wildcards match only themselves…
      ['a%', []],
      ['c_unt', []],
      // …and a search of nothing but punctuation asks for nothing: the newest members.
      ['%', [other.id, ada.id, zoe.id]],
      ['@', [other.id, ada.id, zoe.id]],
    ]
    for (const [q, ids] of cases) {
      const response = await client.get(route('api.users.index')).qs({ q })
      response.assertStatus(200)
      assert.deepEqual(
        response.body().data.map((u: any) => u.id),
        ids,
        q
      )
    }
    const found = await client.get(route('api.users.index')).qs({ q: 'zo' })
    assert.deepEqual(found.body().data[0], {
      id: zoe.id,
      username: 'zed_z',
      first_name: 'Zoë',
      last_name: 'Ångström',
      profile_picture: '/static/images/default-avatar.svg',
    })
  })

  test('no q: newest members, paged with q kept in next', async ({ client, route, assert }) => {
    const users = await UserFactory.merge({ firstName: 'Sam' }).createMany(3)
    const newest = await client.get(route('api.users.index')).qs({ limit: 2 })
    assert.deepEqual(
      newest.body().data.map((u: any) => u.id),
      [users[2].id, users[1].id]
    )
    assert.equal(newest.body().next, `/api/users?before=${users[1].id}&limit=2`)

    const sams = await client.get(route('api.users.index')).qs({ q: 'sam', limit: 2 })
    assert.equal(sams.body().next, `/api/users?q=sam&before=${users[1].id}&limit=2`)
    const rest = await client.get(sams.body().next)
    assert.deepEqual(
      rest.body().data.map((u: any) => u.id),
      [users[0].id]
    )
    assert.isNull(rest.body().next)
  })

  test('422 for q over 100 characters or a bad limit', async ({ client, route, assert }) => {
    const long = await client.get(route('api.users.index')).qs({ q: 'a'.repeat(101) })
    long.assertStatus(422)
    assert.equal(long.body().errors[0].field, 'q')
    const ok = await client.get(route('api.users.index')).qs({ q: 'a'.repeat(100) })
    ok.assertStatus(200)
    const limit = await client.get(route('api.users.index')).qs({ limit: 0 })
    limit.assertStatus(422)
  })

  test('EXPLAIN: every branch of a search range-scans an index, no full scan', async ({
    assert,
  }) => {
    // Enough rows that the optimizer prefers the indexes to a table scan.
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      username: `explain_${i}`,
      email: `explain_${i}@example.com`,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      password: 'x',
      created_at: new Date(),
    }))
    await db.table('users').multiInsert(rows)

    const { sql, bindings } = new PeopleSearch().query('ada lov', { limit: 20 })
    const [plan] = await db.rawQuery(`EXPLAIN ${sql}`, bindings)
    console.log(plan.map((row: any) => `${row.table} ${row.type} ${row.key}`).join('\n'))
    const scans = plan.filter((row: any) => row.table === 'users')
    assert.lengthOf(scans, 4)
    for (const scan of scans) {
      // "range|filter": a range scan of one index, checked against the other.
      assert.match(scan.type, /^range/)
      assert.match(scan.key, /^users_(username_unique|first_name_index|last_name_index)/)
    }
  })
})
