import { BaseMail } from '@adonisjs/mail'
import env from '#start/env'
import type User from '#models/user'

/**
 * The welcome email, in HTML and plain text.
 */
export default class WelcomeMail extends BaseMail {
  subject = 'Welcome to G-Social'

  constructor(private user: User) {
    super()
  }

  prepare() {
    const data = {
      user: this.user,
      profileUrl: new URL(`/users/${this.user.id}`, env.get('APP_URL')).href,
    }
    this.message
      .to(this.user.email, `${this.user.firstName} ${this.user.lastName}`)
      .htmlView('emails/welcome_html', data)
      .textView('emails/welcome_text', data)
  }
}
