import { test } from '@japa/runner'
import vine, { errors } from '@vinejs/vine'
import { registerValidator, loginValidator } from '#validators/user'
import { updateProfileValidator } from '#validators/profile'
import { pageValidator } from '#validators/page'
import { sendFriendRequestValidator } from '#validators/friend_request'
import { privacySettingsValidator } from '#validators/safety'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, validRegistration } from '#tests/helpers'

async function messagesOf(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      return Object.fromEntries(
        error.messages.map((m: { field: string; rule: string; message: string }) => [
          `${m.field}:${m.rule}`,
          m.message,
        ])
      )
    }
    throw error
  }
  return {}
}

/** What Vine's defaults say and a person would not. */
const MACHINE_WORDS = /must be defined|field must|\{\{|_name|\buid\b|Invalid value/

test.group('Validation messages', (group) => {
  isolateDatabase(group)

  test('the registration form names each field as people read it', async ({ assert }) => {
    assert.deepEqual(await messagesOf(registerValidator.validate({})), {
      'username:required': 'Please fill in the username',
      'email:required': 'Please fill in the email address',
      'first_name:required': 'Please fill in the first name',
      'last_name:required': 'Please fill in the last name',
      'password:required': 'Please fill in the password',
    })
  })

  test('each registration rule has its own sentence', async ({ assert }) => {
    const user = await UserFactory.create()
    assert.deepEqual(
      await messagesOf(
        registerValidator.validate({
          username: 'a b',
          email: 'not-an-email',
          first_name: ' ',
          last_name: 'x'.repeat(151),
          password: 'short',
        })
      ),
      {
        'username:regex': 'The username may only contain letters, digits and . + - _',
        'email:email': 'Enter a valid email address, like name@example.com',
        'first_name:minLength': 'Please fill in the first name',
        'last_name:maxLength': 'The last name can be at most 150 characters long',
        'password:minLength': 'The password needs at least 8 characters',
      }
    )
    assert.deepEqual(
      await messagesOf(
        registerValidator.validate({
          ...validRegistration,
          username: user.username,
          email: user.email,
          password: user.username,
        })
      ),
      {
        'username:database.unique': 'This username is already taken',
        'email:database.unique': 'An account with this email address already exists',
        'password:notSameAs': 'The password must not be the same as the username',
      }
    )
  })

  test('sign-in and profile forms speak the same way', async ({ assert }) => {
    assert.deepEqual(await messagesOf(loginValidator.validate({ uid: 7, password: '' })), {
      'uid:string': 'The username or email must be text',
      'password:minLength': 'Please fill in the password',
    })
    assert.deepEqual(await messagesOf(updateProfileValidator.validate({ bio: 'x'.repeat(501) })), {
      'bio:maxLength': 'The bio can be at most 500 characters long',
    })
    assert.deepEqual(await messagesOf(sendFriendRequestValidator.validate({})), {
      'receiver_id:required': 'Please fill in the person to send the request to',
    })
    assert.deepEqual(
      await messagesOf(privacySettingsValidator.validate({ friends_visible: 'nobody' })),
      { 'friends_visible:enum': 'Choose who sees the friend list from: public, friends' }
    )
    assert.deepEqual(await messagesOf(pageValidator.validate({ limit: 0, before: 1.5 })), {
      'limit:range': 'The page size must be from 1 to 50',
      'before:withoutDecimals': 'The page position must be a whole number',
    })
  })

  test('a validator added later gets human messages for any rule', async ({ assert }) => {
    const validator = vine.compile(
      vine.object({
        receiver_id: vine.number().positive(),
        direction: vine.enum(['incoming', 'outgoing']),
        audience: vine.enum(['public', 'friends']),
        ids: vine.array(vine.number()).minLength(1),
        website_url: vine.string().url(),
        accept_terms: vine.accepted(),
        nickname: vine.string().alphaNumeric(),
        initial: vine.string().fixedLength(1),
      })
    )
    const messages = await messagesOf(
      validator.validate({
        receiver_id: -1,
        direction: 'sideways',
        audience: 'galaxy',
        ids: [],
        website_url: 'nope',
        accept_terms: 'no',
        nickname: '!!',
        initial: 'ab',
      })
    )
    assert.deepEqual(messages, {
      'receiver_id:positive': 'The person to send the request to must be more than zero',
      'direction:enum': 'Choose a direction from: incoming, outgoing',
      'audience:enum': 'Choose an audience from: public, friends',
      'ids:array.minLength': 'Choose at least 1 item for the notifications',
      'website_url:url': 'Enter a full web address for the website url, starting with https://',
      'accept_terms:accepted': 'Please accept the accept terms',
      'nickname:alphaNumeric': 'The nickname may only contain letters and digits',
      'initial:fixedLength': 'The initial must be exactly 1 character long',
    })
    for (const message of Object.values(messages)) {
      assert.notMatch(message as string, MACHINE_WORDS)
    }
  })
})
