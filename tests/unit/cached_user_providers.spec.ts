import { test } from '@japa/runner'
import { AccessToken } from '@adonisjs/auth/access_tokens'
import User from '#models/user'
import { tokensInternals } from '#services/sessions/cached_user_providers'

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
