import { inject } from '@adonisjs/core'
import mail from '@adonisjs/mail/services/main'
import type { BaseMail } from '@adonisjs/mail'
import User from '#models/user'
import type OutboxEmail from '#models/outbox_email'
import { OUTBOX_KINDS, type OutboxKind } from '#models/outbox_email'
import WelcomeMail from '#mails/welcome_mail'
import { EmailConfirmationMail, PasswordChangedMail, PasswordResetMail } from '#mails/account_mails'
import { AccountSuspendedMail, PostRemovedMail } from '#mails/moderation_mails'
import { AccountTokens } from '#services/accounts/account_tokens'
import { MailOutbox } from '#services/accounts/mail_outbox'
import { primary } from '#helpers/primary'
import { withHeartbeat } from '#helpers/heartbeat'
import { EMAIL_METHODS, RpcError } from '#rpc/protocol'

type Params = Record<string, unknown>
export type RpcMethod = (params: Params) => Promise<unknown>

/**
 * The mail of every kind of outbox email: total, so a kind added to
 * OUTBOX_KINDS without its mail class (app/mails) and its line here does
 * not compile; its RPC method (EMAIL_METHODS in app/rpc/protocol.ts) is
 * then answered.
 */
export type MailsByKind = Record<
  OutboxKind,
  (user: User, email: OutboxEmail) => BaseMail | Promise<BaseMail>
>

const tokens = new AccountTokens()
const MAILS: MailsByKind = {
  // Links are minted when the email is sent: the raw token lives only in it.
  welcome: async (user) =>
    new WelcomeMail(
      user,
      user.emailVerified ? null : await tokens.mint(user, 'email_confirmation')
    ),
  email_confirmation: async (user) =>
    new EmailConfirmationMail(user, await tokens.mint(user, 'email_confirmation')),
  password_reset: async (user) =>
    new PasswordResetMail(user, await tokens.mint(user, 'password_reset')),
  password_changed: (user) => new PasswordChangedMail(user),
  // The post is gone by then: its row carries what the author is told.
  moderation_post_removed: (user, email) => new PostRemovedMail(user, email.payload),
  moderation_suspended: (user, email) =>
    new AccountSuspendedMail(user, (email.payload.reason as string | undefined) ?? null),
}

function idFrom(params: Params, name: string) {
  const id = params[name]
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw new RpcError('invalid_params', `params.${name} must be a positive integer`)
  }
  return id
}

/**
 * The methods the email_sender RPC server answers: `ping`, and one method
 * per kind of outbox email, each sending that email once. The outbox claim
 * makes a redelivered or retried request answer with the first send's
 * message id instead of sending again.
 */
@inject()
export class EmailSenderMethods {
  constructor(private outbox: MailOutbox) {}

  /** Method name → handler. */
  table(): Record<string, RpcMethod> {
    const table: Record<string, RpcMethod> = { ping: async () => 'pong' }
    for (const kind of OUTBOX_KINDS) {
      table[EMAIL_METHODS[kind]] = (params) => this.send(kind, params)
    }
    return table
  }

  /** Sends the email `{user_id, outbox_id?}` names (without outbox_id: the user's latest). */
  async send(kind: OutboxKind, params: Params) {
    const userId = idFrom(params, 'user_id')
    const emailId = params.outbox_id === undefined ? undefined : idFrom(params, 'outbox_id')
    const claim = await this.outbox.claim({ userId, kind, emailId })
    const what = `user ${userId}'s ${kind.replaceAll('_', ' ')} email`

    switch (claim.status) {
      case 'missing':
        if (!(await User.find(userId, { client: primary() }))) {
          throw new RpcError('unknown_user', `There is no user ${userId}`)
        }
        throw new RpcError('unknown_email', `There is no such email: ${what}`)
      case 'sent':
        return { message_id: claim.messageId }
      case 'busy':
        throw new RpcError('in_progress', `Another worker is sending ${what}`)
      case 'failed': {
        const resend = kind === 'welcome' ? 'welcome:resend' : `emails:resend --kind=${kind}`
        throw new RpcError(
          'gave_up',
          `Sending ${what} failed too often; resend it with \`node ace ${resend}\``
        )
      }
    }

    const { email } = claim
    const user = await User.findOrFail(userId, { client: primary() })
    const message = await MAILS[kind](user, email)
    message.message.messageId(email.messageId!)
    try {
      // The lease says "alive, still sending" for as long as the send takes.
      await withHeartbeat(mail.send(message), this.outbox.renewEveryMs, () =>
        this.outbox.renewLease(email)
      )
    } catch (error) {
      await this.outbox.markFailed(email, error)
      throw new RpcError('send_failed', `Could not send ${what}: ${error.message}`)
    }
    await this.outbox.markSent(email)
    return { message_id: email.messageId }
  }
}
