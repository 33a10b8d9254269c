import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import { AccountsService } from '#services/accounts/accounts_service'
import { keepPrivate, wantsJson } from '#helpers/request'
import {
  forgotPasswordValidator,
  resetPasswordFormValidator,
  resetPasswordValidator,
} from '#validators/account'

/**
 * "Forgot your password?": a link by email, then a new password. The
 * pages and the API share the use cases.
 */
@inject()
export default class PasswordResetsController {
  constructor(private accounts: AccountsService) {}

  create({ view }: HttpContext) {
    return view.render('pages/accounts/forgot_password')
  }

  /**
   * POST /forgot-password and POST /api/auth/password/forgot: 202 whether
   * or not the address has an account or its reset emails are at their
   * limit, answered before the lookup runs, so neither the status nor the
   * timing tells.
   */
  async store(ctx: HttpContext) {
    const { email } = await ctx.request.validateUsing(forgotPasswordValidator)
    this.accounts
      .requestPasswordReset(email)
      .catch((error) => logger.error({ err: error }, 'recording a password reset failed'))

    if (wantsJson(ctx)) {
      return ctx.response.accepted('')
    }
    ctx.session.flash(
      'success',
      'If an account uses that address, an email with a link is on its way'
    )
    return ctx.response.redirect().toRoute('login')
  }

  /** GET /reset-password/:token: the form, or at once the page saying the link is spent. */
  async edit(ctx: HttpContext) {
    // The token is in the URL: no cache keeps it.
    keepPrivate(ctx)
    const { token } = ctx.params
    if (await this.accounts.resetLinkWorks(token)) {
      return ctx.view.render('pages/accounts/reset_password', { token })
    }
    const html = await ctx.view.render('pages/accounts/link_refused', {
      message: 'This reset link is not valid, was used already or has expired.',
      retry: { url: router.makeUrl('password.forgot'), label: 'Ask for a new link' },
    })
    return ctx.response.status(410).type('html').send(html)
  }

  /** POST /reset-password/:token and POST /api/auth/password/reset. */
  async update(ctx: HttpContext) {
    if (wantsJson(ctx)) {
      const { token, password } = await ctx.request.validateUsing(resetPasswordValidator)
      await this.accounts.resetPassword(token, password)
      return ctx.response.noContent()
    }
    const { password } = await ctx.request.validateUsing(resetPasswordFormValidator)
    await this.accounts.resetPassword(ctx.params.token, password)
    ctx.session.flash('success', 'Your password is changed: sign in with the new one')
    return ctx.response.redirect().toRoute('login')
  }
}
