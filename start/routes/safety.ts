/*
|--------------------------------------------------------------------------
| Safety: blocks, and who sees what (imported by start/routes.ts)
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'

const BlocksController = () => import('#controllers/blocks_controller')
const PrivacyController = () => import('#controllers/privacy_controller')
const UsersController = () => import('#controllers/users_controller')

const digits = router.matchers.number()

/*
| Pages and their forms (session, CSRF).
*/
router
  .group(() => {
    router
      .post('/users/:id/block', [BlocksController, 'store'])
      .where('id', digits)
      .as('blocks.store')
    router
      .delete('/users/:id/block', [BlocksController, 'destroy'])
      .where('id', digits)
      .as('blocks.destroy')
    router.get('/settings/privacy', [PrivacyController, 'show']).as('settings.privacy')
    router.post('/settings/privacy', [PrivacyController, 'update']).as('settings.privacy.update')
  })
  .use([...webMiddleware(), middleware.auth()])

/*
| JSON API (bearer tokens).
*/
router
  .group(() => {
    router
      .put('/users/:id/block', [BlocksController, 'store'])
      .where('id', digits)
      .as('blocks.store')
    router
      .delete('/users/:id/block', [BlocksController, 'destroy'])
      .where('id', digits)
      .as('blocks.destroy')
    router.get('/blocks', [BlocksController, 'index']).as('blocks')
    router.patch('/me', [UsersController, 'update']).as('me.update')
  })
  .prefix('/api')
  .as('api')
  .use([...apiMiddleware(), middleware.auth({ guards: ['api'] })])
