/*
| Notifications: the page and the API, and transmit's routes (the live
| stream), which need the session to know who listens.
*/
import router from '@adonisjs/core/services/router'
import {
  apiMiddleware,
  middleware,
  scriptMiddleware,
  streamMiddleware,
  webMiddleware,
} from '#start/kernel'

const NotificationsController = () => import('#controllers/notifications_controller')
const LiveStreamsController = () => import('#controllers/live_streams_controller')
const SubscribeController = () => import('@adonisjs/transmit/controllers/subscribe_controller')
const UnsubscribeController = () => import('@adonisjs/transmit/controllers/unsubscribe_controller')

router
  .group(() => {
    router.get('/notifications', [NotificationsController, 'show']).as('notifications.index')
    router.post('/notifications/read', [NotificationsController, 'read']).as('notifications.read')
  })
  .use([...webMiddleware(), middleware.auth()])

// The badge's state, for the page's script to catch up after (re)connecting.
router
  .get('/notifications/badge', [NotificationsController, 'badge'])
  .use([...scriptMiddleware(), middleware.noStoreWhenSignedIn(), middleware.auth()])
  .as('notifications.badge')

router
  .group(() => {
    router.get('/notifications', [NotificationsController, 'index']).as('notifications.index')
    router.post('/notifications/read', [NotificationsController, 'read']).as('notifications.read')
  })
  .prefix('/api')
  .as('api')
  .use([...apiMiddleware(), middleware.auth({ guards: ['api'] })])

/*
| The paths transmit's client calls: what its `registerRoutes()` does,
| without making the transmit instance (and its Redis connections) in every
| process that loads the routes; the stream itself opens through ours, which
| counts it against the limits and ends it with its session.
*/
router
  .group(() => {
    router
      .get('/events', [LiveStreamsController, 'open'])
      .use(streamMiddleware({ subscribing: false }))
      .as('events')
    router
      .post('/subscribe', [SubscribeController])
      .use(streamMiddleware({ subscribing: true }))
      .as('subscribe')
    router
      .post('/unsubscribe', [UnsubscribeController])
      .use(streamMiddleware({ subscribing: true }))
      .as('unsubscribe')
  })
  .prefix('/__transmit')
  .as('transmit')
