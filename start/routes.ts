/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Every route is named; redirects, templates and tests refer to names.
|
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, webMiddleware } from '#start/kernel'

const HealthChecksController = () => import('#controllers/health_checks_controller')

router.get('/health/live', [HealthChecksController, 'live']).as('health.live')
router.get('/health/ready', [HealthChecksController, 'ready']).as('health.ready')

router
  .group(() => {
    router.on('/').render('pages/home').as('home')
  })
  .use(webMiddleware())

router
  .group(() => {})
  .prefix('/api')
  .use(apiMiddleware())
