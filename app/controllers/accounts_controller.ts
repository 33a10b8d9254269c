import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { AccountsService } from '#services/accounts/accounts_service'
import { WebSessions } from '#services/sessions/web_sessions'
import { wantsJson, backToPreviousPage } from '#helpers/request'
import { changePasswordValidator, deleteAccountValidator } from '#validators/account'

const LINK_REFUSED = {
  invalid: { status: 400, message: 'This confirmation link is not valid.' },
  expired: {
    status: 410,
    message: 'This confirmation link has expired. Sign in and ask for a new one.',
  },
}

/**
 * The signed-in user's own account: confirming the email, changing the
 * password, deleting the account; pages and API.
 */
@inject()
export default class AccountsController {
  constructor(
    private accounts: AccountsService,
    private webSessions: WebSessions
  ) {}

  /** GET /verify-email/:token — the link in the welcome email. */
  async verifyEmail({ params, view, session, response, auth }: HttpContext) {
    const result = await this.accounts.confirmEmail(params.token)
    if (result.status !== 'confirmed') {
      const { status, message } = LINK_REFUSED[result.status]
      const html = await view.render('pages/accounts/link_refused', { message })
      return response.status(status).type('html').send(html)
    }
    // The link may be opened in a browser signed in as someone else.
    const viewer = auth.user
    session.flash(
      'success',
      !viewer || viewer.id === result.userId
        ? 'Your email address is confirmed'
        : `This account's email address is confirmed (you are signed in as ${viewer.username})`
    )
    return response.redirect().toRoute('users.show', { id: result.userId })
  }

  /** POST /api/auth/email/resend and POST /settings/email/resend (a form). */
  async resendConfirmation(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail() as User
    await this.accounts.resendConfirmation(user)
    if (wantsJson(ctx)) return ctx.response.accepted('')
    ctx.session.flash('success', `A new confirmation link is on its way to ${user.email}`)
    return backToPreviousPage(ctx)
  }

  editPassword(ctx: HttpContext) {
    return ctx.view.render('pages/accounts/change_password')
  }

  /** PUT /api/me/password and POST /settings/password: the other sessions and tokens end. */
  async updatePassword(ctx: HttpContext) {
    const { current_password: current, password } =
      await ctx.request.validateUsing(changePasswordValidator)
    if (wantsJson(ctx)) {
      const user = ctx.auth.use('api').getUserOrFail()
      const tokenId = String(user.currentAccessToken.identifier)
      await this.accounts.changePassword(user, current, password, { tokenId })
      return ctx.response.noContent()
    }
    const user = ctx.auth.use('web').getUserOrFail()
    await this.accounts.changePassword(user, current, password, {
      sessionId: ctx.session.sessionId,
    })
    await this.webSessions.followPassword(ctx, user)
    ctx.session.flash('success', 'Your password is changed; other sessions are signed out')
    return ctx.response.redirect().toRoute('settings.account')
  }

  showAccount(ctx: HttpContext) {
    return ctx.view.render('pages/accounts/account', { user: ctx.auth.getUserOrFail() })
  }

  /** DELETE /api/me and DELETE /settings/account (form). */
  async destroy(ctx: HttpContext) {
    const { password } = await ctx.request.validateUsing(deleteAccountValidator)
    const user = ctx.auth.getUserOrFail() as User
    await this.accounts.deleteAccount(user, password)
    if (wantsJson(ctx)) {
      return ctx.response.noContent()
    }
    await this.webSessions.signOut(ctx)
    ctx.session.flash('success', 'Your account is deleted. Goodbye!')
    return ctx.response.redirect().toRoute('home')
  }
}
