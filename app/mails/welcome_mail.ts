import { BaseMail } from '@adonisjs/mail'
import type User from '#models/user'
import { absoluteUrl } from '#helpers/urls'

/**
 * The welcome email, in HTML and plain text, with the link that confirms
 * the address (absent when it is already confirmed). It greets the user by
 * first name, as the site does, unless that name looks like an address a
 * mail client would turn into a link ("Click evil.example"): then by username.
 */
/** What mail clients make links of: a scheme, a path, an address, a domain ("x.example"). */
const LINK_LIKE = /[/:@]|\.\p{L}{2,}/u

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
      greeting: LINK_LIKE.test(this.user.firstName) ? this.user.username : this.user.firstName,
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
