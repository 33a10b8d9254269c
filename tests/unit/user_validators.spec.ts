import { test } from '@japa/runner'
import { errors } from '@vinejs/vine'
import { registerValidator, loginValidator } from '#validators/user'
import { updateProfileValidator } from '#validators/profile'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, validRegistration } from '#tests/helpers'

async function failedRules(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      return error.messages.map((m: { field: string; rule: string }) => `${m.field}:${m.rule}`)
    }
    throw error
  }
  return []
}

test.group('registerValidator', (group) => {
  isolateDatabase(group)

  test('accepts a valid registration and trims names', async ({ assert }) => {
    const data = await registerValidator.validate({ ...validRegistration, first_name: '  Ada ' })
    assert.equal(data.first_name, 'Ada')
  })

  test('accepts letters beyond ASCII and .+-_ in usernames', async ({ assert }) => {
    for (const username of ['zoë.k', 'a+b.c-d_e', 'Łukasz']) {
      assert.deepEqual(
        await failedRules(registerValidator.validate({ ...validRegistration, username })),
        []
      )
    }
  })

  test('refuses a username with spaces, slashes or emoji', async ({ assert }) => {
    for (const username of ['a b c', '../etc', 'smile😀']) {
      assert.deepEqual(
        await failedRules(registerValidator.validate({ ...validRegistration, username })),
        ['username:regex']
      )
    }
  })

  test('refuses a username taken in another case', async ({ assert }) => {
    const user = await UserFactory.create()
    assert.deepEqual(
      await failedRules(
        registerValidator.validate({ ...validRegistration, username: user.username.toUpperCase() })
      ),
      ['username:database.unique']
    )
  })

  test('refuses a password equal to the username, whatever its case', async ({ assert }) => {
    for (const password of ['babbage1', 'BABBAGE1', 'Babbage1']) {
      assert.deepEqual(
        await failedRules(
          registerValidator.validate({ ...validRegistration, username: 'babbage1', password })
        ),
        ['password:notSameAs']
      )
    }
  })
})

test.group('loginValidator and updateProfileValidator', () => {
  test('login needs both fields', async ({ assert }) => {
    assert.sameMembers(await failedRules(loginValidator.validate({})), [
      'uid:required',
      'password:required',
    ])
  })

  test('a bio is optional, nullable and at most 500 characters', async ({ assert }) => {
    assert.deepEqual(await failedRules(updateProfileValidator.validate({})), [])
    assert.deepEqual(await failedRules(updateProfileValidator.validate({ bio: null })), [])
    assert.deepEqual(await failedRules(updateProfileValidator.validate({ bio: 'x'.repeat(501) })), [
      'bio:maxLength',
    ])
  })
})
