import { BaseMail } from '@adonisjs/mail'
import type User from '#models/user'
import { absoluteUrl } from '#helpers/urls'

/**
 * The welcome email, in HTML and plain text, with the link that confirms
 * the address (absent when it is already confirmed). It greets the user by
 * username: never by a name they typed, which could carry any text.
 */
export default class WelcomeMail extends BaseMail {
  subject = 'Welcome to G-Social'

  constructor(
    private user: User,
    private confirmationToken: string | null = null
  ) {
    super()
  }

  prepare() {
    const data = {
      user: this.user,
      profileUrl: absoluteUrl('users.show', { id: this.user.id }),
      confirmUrl: this.confirmationToken
        ? absoluteUrl('verify_email', { token: this.confirmationToken })
        : null,
    }
    this.message
      .to(this.user.email)
      .htmlView('emails/welcome_html', data)
      .textView('emails/welcome_text', data)
  }
}
