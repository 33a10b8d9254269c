import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { primary } from '#helpers/primary'

export type TokenPurpose = 'email_confirmation' | 'password_reset'

/** How long a mailed link works. */
export const TOKEN_LIFETIME: Record<TokenPurpose, { hours: number }> = {
  email_confirmation: { hours: 7 * 24 },
  password_reset: { hours: 1 },
}

export interface AccountToken {
  id: number
  userId: number
  email: string
  expired: boolean
  used: boolean
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * The tokens inside mailed links. The raw token exists only in the email
 * (minted when the worker sends it); the table keeps its SHA-256, which a
 * lookup by hash finds in one index probe.
 */
export class AccountTokens {
  /** A new token for the user's current address; returns the raw token. */
  async mint(user: { id: number; email: string }, purpose: TokenPurpose) {
    const token = randomBytes(32).toString('base64url')
    const now = DateTime.utc()
    await db.table('account_tokens').insert({
      user_id: user.id,
      purpose,
      token_hash: hashOf(token),
      email: user.email,
      expires_at: now.plus(TOKEN_LIFETIME[purpose]).toJSDate(),
      created_at: now.toJSDate(),
    })
    return token
  }

  /**
   * The token's row, or null when no such token was ever issued for this
   * purpose. A credential check: the primary by default, since a replica
   * may not have a token the worker minted a moment ago.
   */
  async find(
    token: string,
    purpose: TokenPurpose,
    client: QueryClientContract = primary()
  ): Promise<AccountToken | null> {
    if (!/^[\w-]{20,100}$/.test(token)) return null
    const row = await client
      .from('account_tokens')
      .where('token_hash', hashOf(token))
      .where('purpose', purpose)
      .first()
    if (!row) return null
    return {
      id: row.id,
      userId: row.user_id,
      email: row.email,
      expired: new Date(row.expires_at).getTime() <= Date.now(),
      used: row.used_at !== null,
    }
  }

  /** Marks one token used; false when another request used it first. */
  async use(id: number, client: QueryClientContract) {
    const updated = await client
      .from('account_tokens')
      .where('id', id)
      .whereNull('used_at')
      .update({ used_at: new Date() })
    return Number(updated[0] ?? updated) === 1
  }

  /** Voids every unused token of a purpose (a reset done, a password changed). */
  async voidAll(userId: number, purpose: TokenPurpose, client: QueryClientContract) {
    await client
      .from('account_tokens')
      .where('user_id', userId)
      .where('purpose', purpose)
      .whereNull('used_at')
      .update({ used_at: new Date() })
  }
}
