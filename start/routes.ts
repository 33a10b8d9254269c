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
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'
import { throttleRegistrations, throttleSignIns } from '#start/limiter'

const HealthChecksController = () => import('#controllers/health_checks_controller')
const RegistrationsController = () => import('#controllers/registrations_controller')
const SessionsController = () => import('#controllers/sessions_controller')
const AccessTokensController = () => import('#controllers/access_tokens_controller')
const UsersController = () => import('#controllers/users_controller')
const ProfilesController = () => import('#controllers/profiles_controller')

const digits = router.matchers.number()

router.get('/health/live', [HealthChecksController, 'live']).as('health.live')
router.get('/health/ready', [HealthChecksController, 'ready']).as('health.ready')

/*
| HTML pages: session, CSRF, signed-in user.
*/
router
  .group(() => {
    router.on('/').render('pages/home').as('home')

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
        router
          .put('/profiles/:id', [ProfilesController, 'update'])
          .where('id', digits)
          .as('profiles.update')
      })
      .use(middleware.auth())
  })
  .use(webMiddleware())

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
          .as('profiles.update')
      })
      // Only signed-in API routes authorize: the bouncer is built for them alone.
      .use([middleware.auth({ guards: ['api'] }), middleware.initializeBouncer()])
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())
import '#start/routes/friends'
