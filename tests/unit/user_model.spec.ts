import { test } from '@japa/runner'
import { Argon } from '@adonisjs/core/hash/drivers/argon'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Profile from '#models/profile'
import OutboxEmail from '#models/outbox_email'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'
import { publicUserData, userDataFor } from '#presenters/user_presenter'

test.group('User model', (group) => {
  isolateDatabase(group)

  test('creating a user creates its profile and a pending welcome email', async ({ assert }) => {
    const user = await UserFactory.create()
    const profile = await Profile.findByOrFail('userId', user.id)
    assert.equal(profile.bio, '')
    assert.isNull(profile.profilePicture)

    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    assert.equal(welcome.kind, 'welcome')
    assert.equal(welcome.state, 'pending')
    assert.equal(welcome.attempts, 0)
    assert.match(welcome.jobKey, /^[0-9a-f-]{36}$/)
  })

  test('when the profile insert fails, the user is rolled back with it', async ({ assert }) => {
    // A profile row for the id the next user will get makes the hook's insert fail.
    const [{ next }] = await db
      .rawQuery(
        "SELECT AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users'"
      )
      .then(([rows]: any) => rows)
    await db.rawQuery('SET FOREIGN_KEY_CHECKS = 0')
    await db.table('profiles').insert({ user_id: next, bio: '', created_at: new Date() })
    await db.rawQuery('SET FOREIGN_KEY_CHECKS = 1')

    await assert.rejects(() => UserFactory.merge({ username: 'orphan' }).create())
    assert.isNull(await User.findBy('username', 'orphan'))
    assert.isNull(await OutboxEmail.findBy('userId', next))
  })

  test('passwords are stored as argon2id hashes', async ({ assert }) => {
    const user = await UserFactory.create()
    assert.match(user.password, /^\$argon2id\$v=19\$m=7168,t=5,p=1\$/)
  })

  test('a password hashed with an earlier setting (19 MiB, t=2) still signs in', async ({
    assert,
  }) => {
    const earlier = new Argon({ variant: 'id', iterations: 2, memory: 19456, parallelism: 1 })
    const user = await UserFactory.create()
    await User.query()
      .where('id', user.id)
      .update({ password: await earlier.make('old secret') })
    const stored = await User.findOrFail(user.id)
    assert.match(stored.password, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    assert.isTrue(await stored.verifyPassword('old secret'))
    assert.isFalse(await stored.verifyPassword('wrong secret'))
  })

  test('user data shows the email only to the user themself', async ({ assert }) => {
    const [user, other] = await UserFactory.createMany(2)
    const data = publicUserData(user)
    assert.equal(userDataFor(data, user).email, user.email)
    assert.notProperty(userDataFor(data, other), 'email')
    assert.notProperty(userDataFor(data, null), 'email')
    assert.notProperty(userDataFor(data, user), 'password')
    assert.deepEqual(userDataFor(data, null).profile_data, {
      id: user.profile.id,
      owner: user.id,
      bio: '',
      profile_picture: '/static/images/default-avatar.svg',
    })
  })
})
