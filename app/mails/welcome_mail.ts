import { BaseMail } from '@adonisjs/mail'
import type User from '#models/user'
import { absoluteUrl } from '#helpers/urls'

/**
 * The welcome email, in HTML and plain text.
 */
export default class WelcomeMail extends BaseMail {
  subject = 'Welcome to G-Social'

  constructor(private user: User) {
    super()
  }

  prepare() {
    const data = { user: this.user, profileUrl: absoluteUrl('users.show', { id: this.user.id }) }
    this.message
      .to(this.user.email, `${this.user.firstName} ${this.user.lastName}`)
      .htmlView('emails/welcome_html', data)
      .textView('emails/welcome_text', data)
  }
}
