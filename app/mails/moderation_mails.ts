import { DateTime } from 'luxon'
import type User from '#models/user'
import { AccountMail } from '#mails/account_mails'

const REACH_US =
  'If you think this was a mistake, or want to know more, reply to this email: it reaches the moderators.'

/** The moderator's words as one sentence, however they ended them. */
const why = (reason: string | null | undefined, otherwise: string) =>
  reason ? `Why: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}` : otherwise

/** What the outbox row of a removed post carries: the post is gone when the email is sent. */
export interface RemovedPostPayload {
  text?: string | null
  image?: boolean
  posted_at?: string
  reason?: string | null
}

/** To the author of a post a moderator removed: which post, and why. */
export class PostRemovedMail extends AccountMail {
  constructor(
    user: User,
    private removed: RemovedPostPayload
  ) {
    super(user)
  }

  protected content() {
    const { text, image, posted_at: postedAt, reason } = this.removed
    const when = postedAt ? DateTime.fromISO(postedAt).toUTC().toFormat('d LLLL yyyy') : null
    const what = [
      text ? `"${text}"` : null,
      image ? (text ? 'with its picture' : 'a picture') : null,
    ].filter(Boolean)
    // A row recorded by hand (emails:resend) knows nothing of the post.
    const removed = what.length
      ? `A moderator removed your post${when ? ` of ${when}` : ''}: ${what.join(' ')}.`
      : 'A moderator removed one of your posts.'
    return {
      subject: 'A moderator removed one of your G-Social posts',
      lines: [removed, why(reason, 'It broke the rules of G-Social.'), REACH_US],
      footer: 'You get this email when a moderator removes something you wrote.',
    }
  }
}

/** To a user whose account a moderator suspended: why, and what it means. */
export class AccountSuspendedMail extends AccountMail {
  constructor(
    user: User,
    private reason: string | null
  ) {
    super(user)
  }

  protected content() {
    return {
      subject: 'Your G-Social account is suspended',
      lines: [
        'A moderator suspended your G-Social account.',
        why(this.reason, 'It broke the rules of G-Social.'),
        'While it is suspended you cannot sign in, and nobody sees your profile, posts or comments.',
        REACH_US,
      ],
      footer: 'You get this email when a moderator suspends your account.',
    }
  }
}
