/*
| Comments and likes (imported by start/routes.ts).
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware } from '#start/kernel'
import { throttleComments, throttleLikes } from '#start/limiter'

const CommentsController = () => import('#controllers/comments_controller')
const LikesController = () => import('#controllers/likes_controller')

const digits = router.matchers.number()

/**
 * The writes, the same for the forms (the post page, the like button on
 * every post) and the API; each group below adds its own middleware.
 */
function reactionWrites() {
  router
    .post('/posts/:id/comments', [CommentsController, 'store'])
    .where('id', digits)
    .use([middleware.verified(), throttleComments])
    .as('posts.comments.store')
  router
    .delete('/comments/:id', [CommentsController, 'destroy'])
    .where('id', digits)
    .as('comments.destroy')
  router
    .put('/posts/:id/like', [LikesController, 'update'])
    .where('id', digits)
    .use([middleware.verified(), throttleLikes])
    .as('posts.like')
  router
    .delete('/posts/:id/like', [LikesController, 'destroy'])
    .where('id', digits)
    .use(throttleLikes)
    .as('posts.unlike')
}

/*
| HTML forms.
*/
router.group(reactionWrites).use([...webMiddleware(), middleware.auth()])

/*
| JSON API.
*/
router
  .group(() => {
    router
      .get('/posts/:id/comments', [CommentsController, 'index'])
      .where('id', digits)
      .as('posts.comments.index')
    router.get('/posts/:id/likes', [LikesController, 'index']).where('id', digits).as('posts.likes')

    router
      .group(reactionWrites)
      .use([middleware.auth({ guards: ['api'] }), middleware.initializeBouncer()])
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())
