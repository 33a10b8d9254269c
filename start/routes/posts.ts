/*
| Posts and the home feed (imported by start/routes.ts).
*/
import router from '@adonisjs/core/services/router'
import { apiMiddleware, middleware, webMiddleware, webUploadMiddleware } from '#start/kernel'
import { throttlePictures, throttlePosts } from '#start/limiter'

const PostsController = () => import('#controllers/posts_controller')
const FeedsController = () => import('#controllers/feeds_controller')

const digits = router.matchers.number()

/*
| HTML pages.
*/
router
  .group(() => {
    router.get('/posts/:id', [PostsController, 'show']).where('id', digits).as('posts.show')

    router
      .group(() => {
        router.get('/feed', [FeedsController, 'show']).as('feed')
        router
          .get('/posts/:id/delete', [PostsController, 'confirmDestroy'])
          .where('id', digits)
          .as('posts.delete')
        router
          .get('/posts/:id/edit', [PostsController, 'edit'])
          .where('id', digits)
          .as('posts.edit')
        router
          .patch('/posts/:id', [PostsController, 'update'])
          .where('id', digits)
          .as('posts.update')
        router
          .delete('/posts/:id', [PostsController, 'destroy'])
          .where('id', digits)
          .as('posts.destroy')
      })
      .use(middleware.auth())
  })
  .use(webMiddleware())

// The composer's form uploads a picture: the user is known before the file is read.
router
  .post('/posts', [PostsController, 'store'])
  .use([
    ...webUploadMiddleware({ maxFiles: 1, kind: 'postImage' }),
    middleware.verified(),
    throttlePosts,
    throttlePictures,
  ])
  .as('posts.store')

/*
| JSON API.
*/
router
  .group(() => {
    router.get('/posts/:id', [PostsController, 'show']).where('id', digits).as('posts.show')
    router.get('/users/:id/posts', [PostsController, 'index']).where('id', digits).as('users.posts')

    router
      .group(() => {
        router
          .post('/posts', [PostsController, 'store'])
          .use([
            middleware.verified(),
            throttlePosts,
            middleware.uploads({ maxFiles: 1, kind: 'postImage' }),
            throttlePictures,
          ])
          .as('posts.store')
        router
          .patch('/posts/:id', [PostsController, 'update'])
          .where('id', digits)
          .as('posts.update')
        router
          .delete('/posts/:id', [PostsController, 'destroy'])
          .where('id', digits)
          .as('posts.destroy')
        router.get('/feed', [FeedsController, 'show']).as('feed')
      })
      .use([middleware.auth({ guards: ['api'] }), middleware.initializeBouncer()])
  })
  .prefix('/api')
  .as('api')
  .use(apiMiddleware())
