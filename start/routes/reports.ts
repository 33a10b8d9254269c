/*
| Reports to the moderators (imported by start/routes.ts).
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'
import { throttleReports } from '#start/limiter'

const ReportsController = () => import('#controllers/reports_controller')

const sendReport = () =>
  router
    .post('/reports', [ReportsController, 'store'])
    .use([middleware.verified(), throttleReports])
    .as('reports.store')

/*
| The report forms beside posts and profiles, and the thanks page.
*/
router
  .group(() => {
    sendReport()
    router.on('/reports/thanks').render('pages/reports/thanks').as('reports.thanks')
  })
  .use([...webMiddleware(), middleware.auth()])

/*
| JSON API.
*/
router
  .group(() => {
    sendReport()
  })
  .prefix('/api')
  .as('api')
  .use([...apiMiddleware(), middleware.auth({ guards: ['api'] })])
