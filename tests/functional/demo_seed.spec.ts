import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import MainSeeder from '#database/seeders/main_seeder'
import { isolateDatabase } from '#tests/helpers'

test.group('Demo world seeder', (group) => {
  isolateDatabase(group)

  test('confirmed users, friendships both ways, pending requests; a second run adds nothing', async ({
    assert,
  }) => {
    await new MainSeeder(db.connection()).run()
    const users = await User.all()
    assert.lengthOf(users, 36)
    assert.isTrue(users.every((user) => user.emailVerified))

    const [{ rows }] = await db.from('friendships').count('* as rows')
    assert.equal(Number(rows), 216)
    const oneWay = await db
      .from('friendships as f')
      .leftJoin('friendships as back', (join) =>
        join.on('back.user_id', 'f.friend_id').andOn('back.friend_id', 'f.user_id')
      )
      .whereNull('back.user_id')
    assert.lengthOf(oneWay, 0)
    const pending = await db.from('friend_requests').where('status', 'pending')
    assert.lengthOf(pending, 26)

    await new MainSeeder(db.connection()).run()
    assert.lengthOf(await User.all(), 36)
  }).timeout(60_000)
})
