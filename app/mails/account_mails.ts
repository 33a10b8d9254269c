import { BaseMail } from '@adonisjs/mail'
import type User from '#models/user'
import { absoluteUrl } from '#helpers/urls'

export interface AccountMailContent {
  subject: string
  lines: string[]
  url?: string
  action?: string
  footer: string
}

/**
 * The account emails (confirm, reset, "password changed") share one
 * template: a greeting by username, a few lines, at most one link — on
 * its own line in the text part.
 */
export abstract class AccountMail extends BaseMail {
  constructor(protected user: User) {
    super()
  }

  protected abstract content(): AccountMailContent

  prepare() {
    const content = this.content()
    // BaseMail copies `subject` onto the message before prepare() runs: set both.
    this.subject = content.subject
    this.message.subject(content.subject)
    const data = { user: this.user, title: content.subject, url: null, action: null, ...content }
    this.message
      .to(this.user.email)
      .htmlView('emails/account_html', data)
      .textView('emails/account_text', data)
  }
}

/** An account email whose link carries a token minted for it. */
abstract class LinkMail extends AccountMail {
  constructor(
    user: User,
    protected token: string
  ) {
    super(user)
  }
}

export class EmailConfirmationMail extends LinkMail {
  protected content() {
    return {
      subject: 'Confirm your email address',
      lines: ['Follow this link to confirm your email address on G-Social (it works for 7 days):'],
      url: absoluteUrl('verify_email', { token: this.token }),
      action: 'Confirm my email',
      footer: 'You asked for this email from your G-Social account.',
    }
  }
}

export class PasswordResetMail extends LinkMail {
  protected content() {
    return {
      subject: 'Reset your G-Social password',
      lines: [
        'Someone asked to reset the password of your G-Social account.',
        'If it was you, follow this link within one hour to choose a new password:',
      ],
      url: absoluteUrl('password.reset', { token: this.token }),
      action: 'Choose a new password',
      footer: 'If it was not you, ignore this email: your password stays as it is.',
    }
  }
}

export class PasswordChangedMail extends AccountMail {
  protected content() {
    return {
      subject: 'Your G-Social password changed',
      lines: [
        'The password of your G-Social account was just changed, and every other session was signed out.',
        'If it was not you, reset your password at once:',
      ],
      url: absoluteUrl('password.forgot'),
      action: 'Reset my password',
      footer: 'You get this email whenever your password changes.',
    }
  }
}
