import { createHmac } from 'node:crypto'
import { safeEqual, Secret } from '@adonisjs/core/helpers'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { AccessToken, AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type { AccessTokenDbColumns } from '@adonisjs/auth/types/access_tokens'
import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type User from '#models/user'
import app from '@adonisjs/core/services/app'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import { CacheInvalidation } from '#cache/invalidation'
import { ReadRouting } from '#services/database/read_routing'
import { appKey } from '#config/app'

type UserModel = typeof User

/** The guards build these providers outside the container: they ask it for what they use. */
const signedInUsers = () => app.container.make(SignedInUsers)

/**
 * DbAccessTokensProvider keeps its settings and its row mapping protected.
 * The cache checks a cached row exactly as the provider's own verify()
 * checks a fresh one, so it reads them here, in one place
 * (tests/unit/cached_user_providers.spec.ts fails if they change).
 */
export interface TokensProviderInternals {
  prefix: string
  table: string
  type: string
  dbRowToAccessToken(row: AccessTokenDbColumns): AccessToken
}
export const tokensInternals = (provider: unknown) => provider as TokensProviderInternals

/**
 * The access-tokens guard's user provider, reading the token and the user
 * from the signed-in cache instead of a SELECT, an UPDATE and a model
 * `find` per request. The checks stay per request: the secret's hash, the
 * token type and its expiry.
 */
export class CachedTokensUserProvider extends AccessTokensLucidUserProvider<
  'accessTokens',
  UserModel
> {
  async verifyToken(tokenValue: Secret<string>) {
    const tokens = tokensInternals(await this.getTokensProvider())
    const decoded = decodeToken(tokens.prefix, tokenValue.release())
    const id = Number(decoded?.identifier)
    if (!decoded || !Number.isSafeInteger(id) || id <= 0) return null

    const cache = await signedInUsers()
    let found = await cache.token(id, tokens.table)
    let token = found && tokens.dbRowToAccessToken(found.row as AccessTokenDbColumns)
    if (token && !token.verify(decoded.secret)) {
      // Ids start over after a restore: a cached row may be another token's.
      // Ask MySQL once more before refusing.
      cache.dropToken(id)
      found = await cache.token(id, tokens.table)
      token = found && tokens.dbRowToAccessToken(found.row as AccessTokenDbColumns)
      if (token && !token.verify(decoded.secret)) return null
    }
    if (!found || !token || found.row.type !== tokens.type || token.isExpired()) return null

    if (found.touch) this.#touch(tokens.table, id)
    return token
  }

  async findById(identifier: string | number | BigInt) {
    const cache = await signedInUsers()
    const user = await cache.user(Number(identifier))
    if (!user) return null
    await actingFor(user.id)
    return this.createUserForGuard(user)
  }

  /** Sign-out: the row goes, then every replica's copy. */
  async invalidateToken(tokenValue: Secret<string>) {
    const { prefix } = tokensInternals(await this.getTokensProvider())
    const decoded = decodeToken(prefix, tokenValue.release())
    const deleted = await super.invalidateToken(tokenValue)
    if (decoded) {
      const invalidate = await app.container.make(CacheInvalidation)
      await invalidate.token(Number(decoded.identifier))
    }
    return deleted
  }

  /** `last_used_at`, off the request's path: a failed write costs nothing but the date. */
  #touch(table: string, id: number) {
    db.from(table)
      .where('id', id)
      .update({ last_used_at: new Date() })
      .catch((error) => logger.warn({ err: error, tokenId: id }, 'last_used_at not written'))
  }
}

/**
 * `AccessToken.decode` as @adonisjs/auth writes it (the prefix, then the
 * identifier and the secret, each base64url that must encode back to
 * itself), with Node's own base64url in place of its regular expressions
 * and a new RegExp per call: 3% of the web process's busy time in a
 * profile of signed-in reads (BENCHMARKS.md, log 63).
 * tests/unit/cached_user_providers.spec.ts holds both to the same answers.
 */
export function decodeToken(prefix: string, value: string) {
  if (!value.startsWith(prefix)) return null
  const [identifier, ...secret] = value.slice(prefix.length).split('.')
  if (!identifier || !secret.length) return null
  const decodedIdentifier = base64urlDecoded(identifier)
  const decodedSecret = base64urlDecoded(secret.join('.'))
  if (!decodedIdentifier || !decodedSecret) return null
  return { identifier: decodedIdentifier, secret: new Secret(decodedSecret) }
}

function base64urlDecoded(encoded: string) {
  const decoded = Buffer.from(encoded, 'base64url').toString('utf-8')
  return Buffer.from(decoded, 'utf-8').toString('base64url') === encoded ? decoded : null
}

/**
 * A fingerprint of a password hash: an HMAC under the app key (Django's
 * "session auth hash"), so the session store never holds the hash itself.
 */
function passwordFingerprint(user: User) {
  return createHmac('sha256', appKey.release())
    .update(`session:${user.password}`)
    .digest('base64url')
}

/**
 * The session guard's user provider: the signed-in user from the same
 * cache. The session names its user as `<id>.<fingerprint of the password
 * hash that signed in>`, checked on every request: a password change or
 * reset changes the hash, so a session started with the old password names
 * no one — even one a sign-in racing the change stored after the change
 * had ended the others. Both providers tell read routing who the request
 * acts for.
 */
export class CachedSessionUserProvider extends SessionLucidUserProvider<UserModel> {
  async createUserForGuard(user: User) {
    const { getOriginal } = await super.createUserForGuard(user)
    return { getId: () => `${user.id}.${passwordFingerprint(user)}`, getOriginal }
  }

  async findById(identifier: string | number | BigInt) {
    const [id, fingerprint = ''] = String(identifier).split('.')
    if (!/^\d{1,15}$/.test(id)) return null
    const cache = await signedInUsers()
    const user = await cache.user(Number(id))
    if (!user || !safeEqual(fingerprint, passwordFingerprint(user))) return null
    await actingFor(user.id)
    return this.createUserForGuard(user)
  }
}

/** The request acts for this user (read_routing.ts): a user provider is built by config, not the container. */
async function actingFor(userId: number) {
  const routing = await app.container.make(ReadRouting)
  await routing.actingFor(userId)
}
