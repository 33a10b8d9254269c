import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { forgetReactionsOf } from '#services/posts/post_counts'
import { friendSetsChanged, relationsOf } from '#services/friends/friendship_queries'
import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#models/user'
import Profile from '#models/profile'
import rateLimits from '#config/rate_limits'
import { MailOutbox } from '#services/accounts/mail_outbox'
import { AccountTokens } from '#services/accounts/account_tokens'
import { WebSessions } from '#services/sessions/web_sessions'
import { CacheInvalidation } from '#cache/invalidation'
import { afterCommit } from '#helpers/after_commit'
import { primary } from '#helpers/primary'
import { AlreadyConfirmedException, FieldRefusedException } from '#exceptions/account_exceptions'
import { isTheUsername, PASSWORD_IS_USERNAME } from '#validators/account'

export type Confirmation =
  { status: 'confirmed'; userId: number } | { status: 'invalid' | 'expired' }

/** Which of a user's sign-ins survive a password change. */
export interface Survivors {
  /** The access token making the change (API). */
  tokenId?: string | number
  /** The browser session making the change. */
  sessionId?: string
}

/**
 * The account use cases: confirm the email, reset and change the password,
 * delete the account. Each writes its rows (and its outbox email) in one
 * transaction, then acts on what lives outside MySQL (sessions in Redis,
 * files) and emits its domain event once that transaction commits.
 */
@inject()
export class AccountsService {
  constructor(
    private outbox: MailOutbox,
    private tokens: AccountTokens,
    private webSessions: WebSessions,
    private invalidate: CacheInvalidation
  ) {}

  /** Follows a confirmation link. A link used before answers like a fresh one. */
  async confirmEmail(token: string): Promise<Confirmation> {
    const found = await this.tokens.find(token, 'email_confirmation')
    if (!found) return { status: 'invalid' }
    const user = await User.find(found.userId, { client: primary() })
    // A link for an address the user no longer has confirms nothing.
    if (!user || user.email.toLowerCase() !== found.email.toLowerCase()) {
      return { status: 'invalid' }
    }
    if (found.used) return { status: 'confirmed', userId: user.id }
    if (found.expired) return { status: 'expired' }

    await db.transaction(async (trx) => {
      await this.tokens.use(found.id, trx)
      if (!user.emailVerifiedAt) {
        user.useTransaction(trx)
        user.emailVerifiedAt = DateTime.utc()
        await user.save()
      }
    })
    // Not awaited: the answer does not wait for caches; listeners never throw.
    void emitter.emit('user.updated', { userId: user.id })
    return { status: 'confirmed', userId: user.id }
  }

  /** A new confirmation email, at most 5 per 30 minutes per account. */
  async resendConfirmation(user: User) {
    if (user.emailVerified) throw new AlreadyConfirmedException()
    const { requests, duration } = rateLimits.confirmationEmailsPerAccount
    try {
      await limiter.use({ requests, duration }).consume(`confirmation_email_${user.id}`)
    } catch (error) {
      // A rule of its own: a form gets the message back above it, the API its 429.
      if (error.code === 'E_TOO_MANY_REQUESTS') {
        const minutes = Math.ceil(error.response.availableIn / 60)
        error.setMessage(
          `You can ask for ${requests} confirmation emails every ${duration}: try again in ${minutes} minutes`
        )
        Object.assign(error, { rule: 'rate_limit' })
      }
      throw error
    }
    await db.transaction((trx) => this.outbox.record(trx, user.id, 'email_confirmation'))
  }

  /**
   * Records a reset email when the address belongs to someone, at most 5
   * per 30 minutes per account: the limit is keyed by the account found,
   * since the lookup matches any case or accent of the address. Beyond it
   * no email goes out, and the answer stays the same. Callers answer
   * before this runs, so neither the answer nor its timing tells whether
   * an account exists or is at its limit.
   */
  async requestPasswordReset(email: string) {
    const user = await User.findBy('email', email.trim())
    if (!user) return
    const { requests, duration } = rateLimits.passwordResetsPerAccount
    try {
      await limiter.use({ requests, duration }).consume(`password_reset_user_${user.id}`)
    } catch (error) {
      if (error.code === 'E_TOO_MANY_REQUESTS') {
        logger.info({ userId: user.id }, 'password reset email not sent: limit reached')
        return
      }
      // The limiter's store is down: the email goes out uncounted (SECURITY.md).
      logger.warn({ err: error }, 'reset limiter unavailable; email not counted')
    }
    await db.transaction((trx) => this.outbox.record(trx, user.id, 'password_reset'))
  }

  /** Whether a reset link still works: unused, unexpired (its page shows the form only then). */
  async resetLinkWorks(token: string) {
    const found = await this.tokens.find(token, 'password_reset')
    return found !== null && !found.used && !found.expired
  }

  /** Sets a new password with a reset link: every session and token of the user ends. */
  async resetPassword(token: string, password: string) {
    const found = await this.tokens.find(token, 'password_reset')
    const refused = new FieldRefusedException(
      'This reset link is not valid, was used already or has expired',
      'token',
      'token'
    )
    if (!found || found.used || found.expired) throw refused
    const user = await User.find(found.userId, { client: primary() })
    if (!user) throw refused

    await this.#setPassword(user, password, {}, async (trx) => {
      if (!(await this.tokens.use(found.id, trx))) throw refused
      // Whoever can read the mailbox has proven they own the address.
      if (!user.emailVerifiedAt) user.emailVerifiedAt = DateTime.utc()
    })
    await this.#endSessions(user.id)
    return user
  }

  /** Changes the password with the current one: every other session and token ends. */
  async changePassword(
    user: User,
    currentPassword: string,
    password: string,
    survivors: Survivors
  ) {
    const wrong = new FieldRefusedException(
      'The current password is not right',
      'current_password',
      'current_password'
    )
    const verified = user.password
    if (!(await user.verifyPassword(currentPassword))) throw wrong
    // It would end every other session and change nothing else.
    if (password === currentPassword) {
      throw new FieldRefusedException(
        'The new password is the one you have now: choose another',
        'password',
        'different'
      )
    }
    await this.#setPassword(user, password, survivors, async (trx) => {
      // Two changes sent at once both verified the same password: the one
      // that locks the row second finds it changed, and is refused as it
      // would be a moment later, rather than answered 204 and overwritten.
      const row = await trx
        .from('users')
        .where('id', user.id)
        .forUpdate()
        .select('password')
        .first()
      if (row?.password !== verified) throw wrong
    })
    await this.#endSessions(user.id, survivors.sessionId)
  }

  /**
   * Deletes the account with its password. The rows go at once (the
   * foreign keys cascade to the profile, tokens, emails, friendships,
   * requests and what else hangs off the user); sessions end; the files are
   * removed by a job.
   */
  async deleteAccount(user: User, password: string) {
    if (!(await user.verifyPassword(password))) {
      throw new FieldRefusedException('The password is not right', 'password', 'password')
    }
    const userId = user.id
    // Whom it stood with: their kept relations name it until dropped (the rows cascade).
    const { friends, pending, blocked } = await relationsOf(userId)
    const touched = await db.transaction(async (trx) => {
      const files = await this.#filesOf(userId, trx)
      // The others' posts it liked or commented on keep exact counts.
      const reacted = await forgetReactionsOf(trx, userId)
      user.useTransaction(trx)
      await user.delete()
      afterCommit(trx, 'announcing a deleted account', () =>
        emitter.emit('account.deleted', { userId, files })
      )
      return reacted
    })
    for (const { postId, authorId } of touched) await this.invalidate.post(postId, authorId)
    await this.invalidate.relation(userId, ...friends, ...pending.keys(), ...blocked)
    await this.#friendsMarked(friends)
    await this.#endSessions(userId)
  }

  /**
   * The cascade took the deleted account's friendships without marking its
   * friends' sets: marked after, so the fan-out's kept lists stop naming it.
   * Should this fail, a list names a gone account until the friend's next
   * change or its hour runs out (its posts added to a timeline nobody reads).
   */
  async #friendsMarked(friends: Int32Array) {
    if (!friends.length) return
    try {
      await friendSetsChanged(primary(), [...friends])
    } catch (error) {
      logger.warn({ err: error }, "a deleted account's friends were not marked")
    }
  }

  /**
   * Suspends the account (a moderator's decision): the row says so, every
   * token goes in the same transaction as the email telling the user why,
   * then their sessions and live streams end and every replica forgets
   * their data, so their profile, posts and comments are gone for everyone
   * before this returns. `alongside` writes the moderator's record (a
   * report resolved) in that transaction. False when already suspended:
   * nothing changes, no second email.
   */
  async suspend(
    userId: number,
    reason: string,
    alongside?: (trx: TransactionClientContract) => Promise<unknown>
  ) {
    const suspended = await db.transaction(async (trx) => {
      const user = await User.query({ client: trx }).where('id', userId).forUpdate().firstOrFail()
      const already = Boolean(user.suspendedAt)
      if (!already) {
        user.merge({ suspendedAt: DateTime.utc(), suspensionReason: reason })
        await user.save()
        await trx.from('auth_access_tokens').where('tokenable_id', userId).delete()
        await this.outbox.record(trx, userId, 'moderation_suspended', { reason })
      }
      await alongside?.(trx)
      return !already
    })
    if (!suspended) return false
    await this.#endSessions(userId)
    await emitter.emit('user.updated', { userId })
    return true
  }

  /** Lifts a suspension: the user may sign in again and is seen again. False when not suspended. */
  async unsuspend(userId: number) {
    const updated = await User.query({ client: primary() })
      .where('id', userId)
      .whereNotNull('suspendedAt')
      .update({ suspendedAt: null, suspensionReason: null })
    if (Number(updated[0] ?? updated) !== 1) return false
    await emitter.emit('user.updated', { userId })
    return true
  }

  /**
   * Ends the user's browser sessions, and drops the cached copies of their
   * tokens on every replica, before the change is answered, so no request
   * after the answer finds either alive; the change itself is already
   * committed, so a store failure is logged rather than reported.
   */
  async #endSessions(userId: number, except?: string) {
    await this.invalidate.tokens(userId)
    await this.webSessions
      .endAll(userId, { except })
      .catch((error) => logger.warn({ err: error, userId }, 'sessions not ended'))
  }

  /**
   * Saves a new password (a change or a reset: never the account's
   * username, whatever its case), hashed before the transaction opens (a
   * hash may wait for a hashing slot: not while holding a pooled
   * connection); `first` runs in the transaction before the user is written.
   */
  async #setPassword(
    user: User,
    password: string,
    survivors: Survivors,
    first?: (trx: TransactionClientContract) => Promise<void>
  ) {
    if (isTheUsername(password, user.username)) {
      throw new FieldRefusedException(PASSWORD_IS_USERNAME, 'password', 'notSameAs')
    }
    await user.setPassword(password)
    await db.transaction(async (trx) => {
      await first?.(trx)
      // The row is written before the tokens go: a sign-in issuing a token
      // meanwhile waits on it (SignIn.issueToken).
      await user.useTransaction(trx).save()
      // Every reset link issued before, whether or not this is a reset.
      await this.tokens.voidAll(user.id, 'password_reset', trx)
      const tokens = trx.from('auth_access_tokens').where('tokenable_id', user.id)
      if (survivors.tokenId !== undefined) tokens.whereNot('id', survivors.tokenId)
      await tokens.delete()
      await this.outbox.record(trx, user.id, 'password_changed')
      afterCommit(trx, 'announcing a password change', () =>
        emitter.emit('password.changed', { userId: user.id })
      )
    })
  }

  /**
   * Drive keys of everything the user uploaded, read locked in the
   * deletion's transaction: an upload saved before is listed, one saved
   * after finds no account (its write fails and removes its file).
   */
  async #filesOf(userId: number, trx: TransactionClientContract) {
    await User.query({ client: trx }).where('id', userId).forUpdate().firstOrFail()
    const files: string[] = []
    const profile = await Profile.query({ client: trx }).where('userId', userId).forUpdate().first()
    if (profile?.profilePicture) files.push(profile.profilePicture)
    const posts = await trx.from('posts').where('user_id', userId).whereNotNull('image').forUpdate()
    files.push(...posts.map((post: { image: string }) => post.image))
    return files
  }
}
