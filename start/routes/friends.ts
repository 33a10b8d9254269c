/*
|--------------------------------------------------------------------------
| Friends: requests, friend lists, finding people
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'
import { throttleFriendRequests } from '#start/limiter'

const FriendRequestsController = () => import('#controllers/friend_requests_controller')
const FriendsController = () => import('#controllers/friends_controller')
const PeopleController = () => import('#controllers/people_controller')

const digits = router.matchers.number()

/**
 * What a signed-in member does about others, the same for a page's forms
 * and the API: the group around each call gives the middleware and names.
 */
function memberActions() {
  router
    .post('/friend-requests', [FriendRequestsController, 'store'])
    .use([middleware.verified(), ...throttleFriendRequests])
    .as('friend_requests.store')
  router
    .post('/friend-requests/:id/accept', [FriendRequestsController, 'accept'])
    .where('id', digits)
    .as('friend_requests.accept')
  router
    .post('/friend-requests/:id/decline', [FriendRequestsController, 'decline'])
    .where('id', digits)
    .as('friend_requests.decline')
  router
    .delete('/friend-requests/:id', [FriendRequestsController, 'destroy'])
    .where('id', digits)
    .as('friend_requests.destroy')
  router
    .delete('/friends/:user_id', [FriendsController, 'destroy'])
    .where('user_id', digits)
    .as('friends.destroy')
}

/*
| Pages and their forms (session, CSRF).
*/
router
  .group(() => {
    router.get('/people', [PeopleController, 'index']).as('people')

    router
      .group(() => {
        router.get('/friends', [FriendsController, 'page']).as('friends')
        router
          .get('/friends/:user_id/unfriend', [FriendsController, 'confirmDestroy'])
          .where('user_id', digits)
          .as('friends.unfriend')
        memberActions()
      })
      .use(middleware.auth())
  })
  .use(webMiddleware())

/*
| JSON API.
*/
router
  .group(() => {
    router.get('/users', [PeopleController, 'index']).as('users.index')
    router
      .get('/users/:id/friends', [FriendsController, 'index'])
      .where('id', digits)
      .as('users.friends')

    router
      .group(() => {
        router
          .get('/friend-requests', [FriendRequestsController, 'index'])
          .as('friend_requests.index')
        memberActions()
      })
      .use([middleware.auth({ guards: ['api'] }), middleware.initializeBouncer()])
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())
