import { test } from '@japa/runner'
import User from '#models/user'
import { truncateTables, validRegistration, route } from '#tests/helpers'

const RACERS = 20

/**
 * Real concurrency needs real connections: no wrapping transaction here,
 * the tables are emptied instead.
 */
test.group('Races: concurrent registrations', (group) => {
  group.each.setup(() => truncateTables())

  for (const field of ['username', 'email'] as const) {
    test(`${RACERS} at once with one ${field}: one 201, the rest 422`, async ({
      client,
      assert,
    }) => {
      const responses = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          client
            .post(route('api.users.store'))
            .header('x-forwarded-for', `198.51.100.${i + 1}`)
            .json({
              ...validRegistration,
              username: field === 'username' ? 'racer' : `racer${i}`,
              email: field === 'email' ? 'racer@example.com' : `racer${i}@example.com`,
            })
        )
      )
      const statuses = responses.map((response) => response.status())
      const created = statuses.filter((status) => status === 201).length
      const refused = responses.filter((response) => response.status() === 422)
      console.log(`race on ${field}: ${created} created, ${refused.length} refused, of ${RACERS}`)

      assert.equal(created, 1)
      assert.lengthOf(refused, RACERS - 1)
      for (const response of refused) {
        assert.deepInclude(
          response.body().errors.map((e: any) => ({ field: e.field, rule: e.rule })),
          { field, rule: 'database.unique' }
        )
      }
      const users = await User.query().where(
        field,
        field === 'username' ? 'racer' : 'racer@example.com'
      )
      assert.lengthOf(users, 1)
    }).timeout(30_000)
  }
})
