import { test } from '@japa/runner'
import { AccessToken } from '@adonisjs/auth/access_tokens'
import User from '#models/user'
import { decodeToken, tokensInternals } from '#services/sessions/cached_user_providers'

/**
 * The signed-in cache checks cached token rows with the tokens provider's
 * own protected settings and row mapping: this fails first if
 * @adonisjs/auth renames or changes them.
 */
test.group('Cached tokens provider / @adonisjs/auth internals', () => {
  test('the tokens provider still exposes its prefix, table, type and row mapping', ({
    assert,
  }) => {
    const internals = tokensInternals(User.accessTokens)
    assert.equal(internals.prefix, 'gs_')
    assert.equal(internals.table, 'auth_access_tokens')
    assert.equal(internals.type, 'auth_token')

    const token = internals.dbRowToAccessToken({
      id: 7,
      tokenable_id: 3,
      type: 'auth_token',
      name: null,
      hash: 'abc',
      abilities: '["*"]',
      created_at: new Date(),
      updated_at: new Date(),
      last_used_at: null,
      expires_at: new Date(Date.now() - 1000),
    })
    assert.instanceOf(token, AccessToken)
    assert.equal(token.identifier, 7)
    assert.equal(token.tokenableId, 3)
    assert.isTrue(token.isExpired())
    assert.deepEqual(token.abilities, ['*'])
  })
})

test.group('Cached tokens provider / decodeToken', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64url')
  const cases = {
    'a token as the provider issues it': `gs_${b64('42')}.${b64('s3cr3t-value')}`,
    'a secret holding a dot': `gs_${b64('7')}.${b64('a')}.${b64('b')}`,
    'another prefix': `xx_${b64('42')}.${b64('secret')}`,
    'no prefix': `${b64('42')}.${b64('secret')}`,
    'nothing after the prefix': 'gs_',
    'no secret': `gs_${b64('42')}`,
    'an empty secret': `gs_${b64('42')}.`,
    'an empty identifier': `gs_.${b64('secret')}`,
    'padding': `gs_${Buffer.from('42').toString('base64')}.${b64('secret')}`,
    'the standard alphabet': `gs_${b64('42')}.${Buffer.from('??>>').toString('base64')}`,
    'bytes that are not UTF-8': `gs_${b64('42')}.${Buffer.from([0xff, 0xfe]).toString('base64url')}`,
    'characters outside base64': `gs_${b64('42')}.${b64('secret')}*!`,
  }

  for (const [name, value] of Object.entries(cases)) {
    test(`answers as AccessToken.decode does: ${name}`, ({ assert }) => {
      const theirs = AccessToken.decode('gs_', value)
      const ours = decodeToken('gs_', value)
      assert.equal(ours?.identifier, theirs?.identifier)
      assert.equal(ours?.secret.release(), theirs?.secret.release())
    })
  }

  test('the token the provider issues decodes to its id and secret', ({ assert }) => {
    const decoded = decodeToken('gs_', `gs_${b64('42')}.${b64('s3cr3t-value')}`)
    assert.equal(decoded?.identifier, '42')
    assert.equal(decoded?.secret.release(), 's3cr3t-value')
    assert.isNull(decodeToken('gs_', `gs_${b64('42')}`))
  })
})
