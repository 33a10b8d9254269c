import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import User from '#models/user'
import app from '@adonisjs/core/services/app'
import { CacheInvalidation } from '#cache/invalidation'

/** Every factory user signs in with this password. */
export const FACTORY_PASSWORD = 'correct horse battery'

export const UserFactory = factory
  .define(User, ({ faker }) => {
    const suffix = faker.string.alphanumeric(6).toLowerCase()
    return {
      username: `${faker.internet.username().replace(/[^\w.@+-]/g, '')}_${suffix}`.slice(0, 150),
      email: `${suffix}.${faker.internet.email()}`.toLowerCase(),
      firstName: faker.person.firstName(),
      lastName: faker.person.lastName(),
      password: FACTORY_PASSWORD,
      // Factory users have confirmed their email; `.apply('unverified')` for one who has not.
      emailVerifiedAt: DateTime.utc(),
    }
  })
  .state('unverified', (user) => (user.emailVerifiedAt = null))
  // What registration's 'user.registered' does: tests empty the tables, so
  // an id comes back while a cache may still hold the user who had it.
  .after('create', async (_, user) => {
    const invalidate = await app.container.make(CacheInvalidation)
    await invalidate.user(user.id)
  })
  .build()
