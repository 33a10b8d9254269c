import { BaseMail } from '@adonisjs/mail'
import env from '#start/env'
import type User from '#models/user'

/**
 * The welcome email, in HTML and plain text.
 */
export default class WelcomeMail extends BaseMail {
  subject = 'Welcome to G-Social'

  /** messageId: chosen by the outbox, the same for every retry. */
  constructor(
    private user: User,
    private messageId?: string
  ) {
    super()
  }

  prepare() {
    const data = {
      user: this.user,
      profileUrl: new URL(`/users/${this.user.id}`, env.get('APP_URL')).href,
    }
    if (this.messageId) {
      this.message.messageId(this.messageId)
    }
    this.message
      .to(this.user.email, `${this.user.firstName} ${this.user.lastName}`)
      .htmlView('emails/welcome_html', data)
      .textView('emails/welcome_text', data)
  }
}
