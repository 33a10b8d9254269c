/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Every route is named; redirects, templates and tests refer to names.
| `:id` only matches digits, so /users/abc is a 404 before any controller.
|
*/
import router from '@adonisjs/core/services/router'
import { errors } from '@adonisjs/core/http'
import type { HttpContext } from '@adonisjs/core/http'
import { apiMiddleware, middleware, webMiddleware, webUploadMiddleware } from '#start/kernel'
import { throttlePictures, throttleRegistrations, throttleSignIns } from '#start/limiter'

const HealthChecksController = () => import('#controllers/health_checks_controller')
const HomeController = () => import('#controllers/home_controller')
const RegistrationsController = () => import('#controllers/registrations_controller')
const SessionsController = () => import('#controllers/sessions_controller')
const AccessTokensController = () => import('#controllers/access_tokens_controller')
const UsersController = () => import('#controllers/users_controller')
const ProfilesController = () => import('#controllers/profiles_controller')
const MediaController = () => import('#controllers/media_controller')

const digits = router.matchers.number()

router.get('/health/live', [HealthChecksController, 'live']).as('health.live')
router.get('/health/ready', [HealthChecksController, 'ready']).as('health.ready')

// Uploads, from the Drive disk (Nginx asks here for what its own folder lacks).
router.get('/media/*', [MediaController, 'show']).as('media.show')

/*
| HTML pages: session, CSRF, signed-in user.
*/
router
  .group(() => {
    router.get('/', [HomeController, 'show']).as('home')
    router.on('/privacy').render('pages/privacy').as('privacy')

    router
      .group(() => {
        router.get('/register', [RegistrationsController, 'create']).as('register')
        router
          .post('/register', [RegistrationsController, 'store'])
          .use(throttleRegistrations)
          .as('register.store')
        router.get('/login', [SessionsController, 'create']).as('login')
        router.post('/login', [SessionsController, 'store']).use(throttleSignIns).as('login.store')
      })
      .use(middleware.guest())

    router
      .group(() => {
        router.post('/logout', [SessionsController, 'destroy']).as('logout')
        router
          .get('/profiles/:id/edit', [ProfilesController, 'edit'])
          .where('id', digits)
          .as('profiles.edit')
      })
      .use(middleware.auth())
  })
  .use(webMiddleware())

router
  .put('/profiles/:id', [ProfilesController, 'update'])
  .where('id', digits)
  .use([...webUploadMiddleware({ maxFiles: 1, kind: 'profilePicture' }), throttlePictures])
  .as('profiles.update')

/*
| A profile page: visitors without cookies get the rendered page from a cache,
| ahead of the web stack; everyone else takes the web stack like any page.
*/
router
  .get('/users/:id', [UsersController, 'show'])
  .where('id', digits)
  .use([middleware.publicPageCache(), ...webMiddleware()])
  .as('users.show')

/*
| JSON API: bearer tokens, no session, no CSRF.
*/
router
  .group(() => {
    router
      .post('/users', [RegistrationsController, 'store'])
      .use(throttleRegistrations)
      .as('users.store')
    router.get('/users/:id', [UsersController, 'show']).where('id', digits).as('users.show')
    router
      .post('/auth/login', [AccessTokensController, 'store'])
      .use(throttleSignIns)
      .as('auth.login')

    router
      .group(() => {
        router.post('/auth/logout', [AccessTokensController, 'destroy']).as('auth.logout')
        router.get('/me', [UsersController, 'me']).as('me')
        router
          .route('/profiles/:id', ['PATCH', 'PUT'], [ProfilesController, 'update'])
          .where('id', digits)
          .use([middleware.uploads({ maxFiles: 1, kind: 'profilePicture' }), throttlePictures])
          .as('profiles.update')
      })
      // Only signed-in API routes authorize: the bouncer is built for them alone.
      .use([middleware.auth({ guards: ['api'] }), middleware.initializeBouncer()])
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())

import '#start/routes/friends'
import '#start/routes/accounts'
import '#start/routes/notifications'
import '#start/routes/posts'
import '#start/routes/reactions'
import '#start/routes/safety'
import '#start/routes/api_docs'
import '#start/routes/reports'

/*
| Keep these last: routes match in the order they are added (imported route
| files run first), and these take every GET no route above matched. A page
| nobody has is a 404 rendered through the web stack, so its header knows
| who is signed in; an API address nobody has is a JSON 404 that starts no
| session.
*/
const noRoute = ({ request }: HttpContext) => {
  throw new errors.E_ROUTE_NOT_FOUND([request.method(), request.url()])
}
router.get('/api/*', noRoute).use(apiMiddleware()).as('api.not_found')
router.get('/*', noRoute).use(webMiddleware()).as('not_found')
