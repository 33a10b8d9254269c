import mail from '@adonisjs/mail/services/main'
import User from '#models/user'
import WelcomeMail from '#mails/welcome_mail'
import { WelcomeOutbox } from '#services/welcome_outbox'
import { RpcError } from '#rpc/protocol'

type Params = Record<string, unknown>

function userIdFrom(params: Params) {
  const userId = params.user_id
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId < 1) {
    throw new RpcError('invalid_params', 'params.user_id must be a positive integer')
  }
  return userId
}

/**
 * Sends a user's welcome email once. The outbox claim makes a redelivered
 * or retried request answer with the first send's message id instead of
 * sending again.
 */
async function registration(params: Params) {
  const userId = userIdFrom(params)
  const claim = await WelcomeOutbox.claim(userId)

  switch (claim.status) {
    case 'missing':
      throw new RpcError('unknown_user', `There is no user ${userId}`)
    case 'sent':
      return { message_id: claim.messageId }
    case 'busy':
      throw new RpcError('in_progress', `Another worker is sending user ${userId}'s welcome email`)
    case 'failed':
      throw new RpcError(
        'gave_up',
        `User ${userId}'s welcome email failed too often; resend it with \`node ace welcome:resend\``
      )
  }

  const user = await User.findOrFail(userId)
  const messageId = claim.intent.messageId!
  try {
    await mail.send(new WelcomeMail(user, messageId))
    await WelcomeOutbox.markSent(claim.intent)
    return { message_id: messageId }
  } catch (error) {
    await WelcomeOutbox.markFailed(claim.intent, error)
    throw new RpcError('send_failed', `Could not send the welcome email: ${error.message}`)
  }
}

/**
 * The methods the email_sender RPC server answers.
 */
export const methods: Record<string, (params: Params) => Promise<unknown>> = {
  ping: async () => 'pong',
  registration,
}
