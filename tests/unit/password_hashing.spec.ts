import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { Registration } from '#services/accounts/registration'
import { AccountsService } from '#services/accounts/accounts_service'
import { AccountTokens } from '#services/accounts/account_tokens'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, validRegistration } from '#tests/helpers'

/**
 * Runs `work` and returns, for each password it hashed, how many
 * transactions were open at that moment. A hash may wait for a hashing
 * slot: a transaction open meanwhile holds a pooled connection.
 */
async function transactionsOpenAtEachHash(work: () => Promise<unknown>) {
  const hasher = hash.use()
  const make = hasher.make.bind(hasher)
  const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>
  let open = 0
  const seen: number[] = []
  Object.assign(hasher, {
    make(value: string) {
      seen.push(open)
      return make(value)
    },
  })
  Object.assign(db, {
    async transaction(...args: unknown[]) {
      open++
      try {
        return await transaction(...args)
      } finally {
        open--
      }
    },
  })
  try {
    await work()
  } finally {
    // The prototypes' own methods again.
    delete (hasher as Partial<typeof hasher>).make
    delete (db as Partial<typeof db>).transaction
  }
  return seen
}

/** The user's stored password, read back from MySQL. */
async function storedPassword(userId: number) {
  const row = await db.from('users').where('id', userId).select('password').firstOrFail()
  return row.password as string
}

test.group('Passwords are hashed before their transaction opens', (group) => {
  isolateDatabase(group)

  test('registration', async ({ assert }) => {
    const registration = new Registration()
    let user!: User
    const open = await transactionsOpenAtEachHash(async () => {
      user = await registration.register(validRegistration)
    })
    assert.deepEqual(open, [0], 'one hash, with no transaction open')
    // Hashed once: the password given signs in.
    assert.isTrue(await hash.verify(await storedPassword(user.id), validRegistration.password))
  })

  test('a password change', async ({ assert }) => {
    const user = await UserFactory.create()
    const accounts = await app.container.make(AccountsService)
    const open = await transactionsOpenAtEachHash(() =>
      accounts.changePassword(user, FACTORY_PASSWORD, 'a brand new password', {})
    )
    assert.deepEqual(open, [0])
    const stored = await storedPassword(user.id)
    assert.match(stored, /^\$argon2id\$/)
    assert.isTrue(await hash.verify(stored, 'a brand new password'))
  })

  test('a reset', async ({ assert }) => {
    const user = await UserFactory.create()
    const reset = await new AccountTokens().mint(user, 'password_reset')
    const accounts = await app.container.make(AccountsService)
    const open = await transactionsOpenAtEachHash(() =>
      accounts.resetPassword(reset, 'a brand new password')
    )
    assert.deepEqual(open, [0])
    assert.isTrue(await hash.verify(await storedPassword(user.id), 'a brand new password'))
  })

  test('a password put in the model directly is hashed by the save, once', async ({ assert }) => {
    const user = await UserFactory.create()
    await db.transaction(async (trx) => {
      user.password = 'set directly'
      await user.useTransaction(trx).save()
    })
    const stored = await storedPassword(user.id)
    assert.match(stored, /^\$argon2id\$/)
    assert.isTrue(await hash.verify(stored, 'set directly'))
    assert.isTrue(await user.verifyPassword('set directly'))

    // One that only looks like a hash is hashed like any other.
    const lookalike = await hash.make('another password')
    await db.transaction(async (trx) => {
      user.password = lookalike
      await user.useTransaction(trx).save()
    })
    assert.notEqual(await storedPassword(user.id), lookalike)
    assert.isTrue(await user.verifyPassword(lookalike))
  })
})
