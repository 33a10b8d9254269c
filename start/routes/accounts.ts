/*
|--------------------------------------------------------------------------
| Accounts: confirm the email, reset and change the password, delete
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'
import { throttlePasswordResets } from '#start/limiter'

const AccountsController = () => import('#controllers/accounts_controller')
const PasswordResetsController = () => import('#controllers/password_resets_controller')

/*
| Pages and their forms (session, CSRF).
*/
router
  .group(() => {
    router.get('/verify-email/:token', [AccountsController, 'verifyEmail']).as('verify_email')

    router.get('/forgot-password', [PasswordResetsController, 'create']).as('password.forgot')
    router
      .post('/forgot-password', [PasswordResetsController, 'store'])
      .use(throttlePasswordResets)
      .as('password.forgot.store')
    router.get('/reset-password/:token', [PasswordResetsController, 'edit']).as('password.reset')
    router
      .post('/reset-password/:token', [PasswordResetsController, 'update'])
      .use(throttlePasswordResets)
      .as('password.reset.store')

    router
      .group(() => {
        router
          .get('/settings/password', [AccountsController, 'editPassword'])
          .as('settings.password')
        router
          .post('/settings/password', [AccountsController, 'updatePassword'])
          .as('settings.password.update')
        router
          .post('/settings/email/resend', [AccountsController, 'resendConfirmation'])
          .as('settings.email.resend')
        router.get('/settings/account', [AccountsController, 'showAccount']).as('settings.account')
        router
          .delete('/settings/account', [AccountsController, 'destroy'])
          .as('settings.account.destroy')
      })
      .use(middleware.auth())
  })
  .use(webMiddleware())

/*
| JSON API (bearer tokens).
*/
router
  .group(() => {
    router
      .post('/auth/password/forgot', [PasswordResetsController, 'store'])
      .use(throttlePasswordResets)
      .as('auth.password.forgot')
    router
      .post('/auth/password/reset', [PasswordResetsController, 'update'])
      .use(throttlePasswordResets)
      .as('auth.password.reset')

    router
      .group(() => {
        router
          .post('/auth/email/resend', [AccountsController, 'resendConfirmation'])
          .as('auth.email.resend')
        router.put('/me/password', [AccountsController, 'updatePassword']).as('me.password')
        router.delete('/me', [AccountsController, 'destroy']).as('me.destroy')
      })
      .use(middleware.auth({ guards: ['api'] }))
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())
