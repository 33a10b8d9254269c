import { test } from '@japa/runner'
import { Bouncer } from '@adonisjs/bouncer'
import ProfilePolicy from '#policies/profile_policy'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

test.group('ProfilePolicy', (group) => {
  isolateDatabase(group)

  test('only the owner may update a profile', async ({ assert }) => {
    const [owner, other] = await UserFactory.createMany(2)
    assert.isTrue(await new Bouncer(owner).with(ProfilePolicy).allows('update', owner.profile))
    assert.isFalse(await new Bouncer(other).with(ProfilePolicy).allows('update', owner.profile))
  })

  test('a guest may not update any profile', async ({ assert }) => {
    const owner = await UserFactory.create()
    const guest = new Bouncer<typeof owner>(null)
    assert.isFalse(await guest.with(ProfilePolicy).allows('update', owner.profile))
  })
})
