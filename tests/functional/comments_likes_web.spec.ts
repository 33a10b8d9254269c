import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import Post from '#models/post'
import Comment from '#models/comment'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { NotificationService } from '#services/notifications/notification_service'
import { isolateDatabase, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'

const postPage = (client: ApiClient, postId: number, viewer?: User) => {
  const request = client.get(route('posts.show', { id: postId }))
  return viewer ? request.loginAs(viewer) : request
}

/** The comment form on the post page, sent. */
const commentByForm = (client: ApiClient, user: User, postId: number, text: string) =>
  client
    .post(route('posts.comments.store', { id: postId }))
    .header('referer', route('posts.show', { id: postId }))
    .form({ text })
    .withCsrfToken()
    .loginAs(user)
    .redirects(0)

const likeByForm = (client: ApiClient, user: User, postId: number, method: 'PUT' | 'DELETE') =>
  client
    .post(route(method === 'PUT' ? 'posts.like' : 'posts.unlike', { id: postId }))
    .qs({ _method: method })
    .header('referer', route('feed'))
    .form({})
    .withCsrfToken()
    .loginAs(user)

test.group('Web / comments on the post page', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('comments all hidden from the viewer by a block: "No comments to show"', async ({
    client,
    assert,
  }) => {
    const [author, commenter, reader] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    assert.include((await postPage(client, post.id, reader)).text(), 'No comments yet.')
    ;(await commentByForm(client, commenter, post.id, 'first!')).assertStatus(302)
    ;(
      await client
        .put(route('api.blocks.store', { id: commenter.id }))
        .withGuard('api')
        .loginAs(reader)
    ).assertStatus(204)

    const page = (await postPage(client, post.id, reader)).text()
    assert.notInclude(page, 'first!')
    assert.include(page, 'No comments to show.')
  })

  test('the form adds a comment; the page lists them oldest first', async ({ client, assert }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    for (const text of ['first comment', 'second comment']) {
      const sent = await commentByForm(client, reader, post.id, text)
      sent.assertStatus(302)
      assert.match(sent.header('location')!, new RegExp(`^/posts/${post.id}#comment-\\d+$`))
    }
    const html = (await postPage(client, post.id, reader)).text()
    assert.isAbove(html.indexOf('second comment'), html.indexOf('first comment'))
    assert.include(html, '2 comments')
    assert.include(html, 'name="text"')
    // The comment's author may delete it; a visitor may not, and gets no form.
    assert.include(html, 'Delete comment')
    const visitor = (await postPage(client, post.id)).text()
    assert.notInclude(visitor, 'Delete comment')
    assert.notInclude(visitor, 'comment-form')
    assert.include(visitor, 'to comment')
  })

  test('a refused comment comes back in the form with its error', async ({ client, assert }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const long = 'x'.repeat(501)
    const refused = await commentByForm(client, reader, post.id, long)
    refused.assertStatus(302)
    const page = await postPage(client, post.id, reader).withFlashMessages(refused.flashMessages())
    const html = page.text()
    assert.include(html, 'field-error')
    assert.include(html, `>${long}</textarea>`)
    assert.lengthOf(await Comment.all(), 0)
  })

  test('"Earlier comments" pages back', async ({ client, assert }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    for (let i = 1; i <= 22; i++) {
      await Comment.create({ postId: post.id, userId: reader.id, text: `comment number ${i}.` })
    }
    const html = (await postPage(client, post.id)).text()
    assert.include(html, 'comment number 22.')
    assert.include(html, 'comment number 3.')
    assert.notInclude(html, 'comment number 2.')
    const earlier = /href="([^"]+)">Earlier comments/.exec(html)![1].replaceAll('&amp;', '&')
    const older = (await client.get(earlier)).text()
    assert.include(older, 'comment number 1.')
    assert.include(older, 'comment number 2.')
    assert.notInclude(older, 'comment number 3.')
    assert.notInclude(older, 'Earlier comments')
  })

  test('the post author deletes a comment by form', async ({ client, assert }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    await commentByForm(client, reader, post.id, 'remove me')
    const [comment] = await Comment.all()
    const html = (await postPage(client, post.id, author)).text()
    assert.include(html, `/comments/${comment.id}?_method=DELETE`)

    const removed = await client
      .delete(route('comments.destroy', { id: comment.id }))
      .withCsrfToken()
      .loginAs(author)
      .redirects(0)
    removed.assertStatus(302)
    assert.lengthOf(await Comment.all(), 0)
    assert.equal((await Post.findOrFail(post.id)).commentsCount, 0)
  })
})

test.group('Web / the like button', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('a form likes and unlikes; lists show the count and the comments link', async ({
    client,
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    const before = (await client.get(route('users.show', { id: author.id })).loginAs(fan)).text()
    assert.include(before, `/posts/${post.id}/like?_method=PUT`)
    assert.include(before, '>Like</button>')
    assert.include(before, '0 likes')
    assert.include(before, `href="/posts/${post.id}#comments">0 comments</a>`)
    // The like form carries the page's CSRF token (the one its meta tag gives the scripts).
    const token = /<meta name='csrf-token' content='([^']+)'>/.exec(before)![1]
    assert.include(before, `<input type="hidden" name="_csrf" value="${token}">`)

    ;(await likeByForm(client, fan, post.id, 'PUT')).assertStatus(200)
    const after = (await postPage(client, post.id, fan)).text()
    assert.include(after, `/posts/${post.id}/like?_method=DELETE`)
    assert.include(after, 'aria-pressed="true"')
    assert.include(after, '>Unlike</button>')
    assert.include(after, '1 like<')

    // The profile's cached first page shows the new count too.
    const profile = (
      await client.get(route('users.show', { id: author.id })).loginAs(author)
    ).text()
    assert.include(profile, '1 like<')

    ;(await likeByForm(client, fan, post.id, 'DELETE')).assertStatus(200)
    assert.include((await postPage(client, post.id, fan)).text(), '0 likes')
  })

  test('a plain form goes back to the page it was sent from, its query string kept', async ({
    client,
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const feedPage = `${route('feed')}?before=${post.id + 10}`
    for (const method of ['PUT', 'DELETE'] as const) {
      const sent = await likeByForm(client, fan, post.id, method)
        .header('referer', feedPage)
        .redirects(0)
      sent.assertStatus(302)
      assert.equal(sent.header('location'), feedPage)
    }
  })

  test('the script’s request (JSON accepted) gets the new state and count', async ({
    client,
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const liked = await likeByForm(client, fan, post.id, 'PUT').header('accept', 'application/json')
    liked.assertStatus(200)
    assert.deepEqual(liked.body(), { liked: true, likes_count: 1 })
    const unliked = await likeByForm(client, fan, post.id, 'DELETE').header(
      'accept',
      'application/json'
    )
    assert.deepEqual(unliked.body(), { liked: false, likes_count: 0 })
  })

  test('visitors see the count without a button', async ({ client, assert }) => {
    const author = await UserFactory.create()
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const html = (await postPage(client, post.id)).text()
    assert.include(html, '0 likes')
    assert.notInclude(html, 'data-like-form')
  })
})

test.group('Web / notifications about posts', (group) => {
  isolateDatabase(group)

  test('say who did what and link to the post', async ({ client, assert }) => {
    const [author, fan] = await UserFactory.merge([
      { firstName: 'Nora', lastName: 'Author' },
      { firstName: 'Ada', lastName: 'Fan' },
    ]).createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const service = new NotificationService()
    for (const type of ['like', 'comment', 'mention'] as const) {
      await service.record({
        type,
        recipientId: author.id,
        actorId: fan.id,
        subjectId: post.id,
        postId: post.id,
        at: Date.now(),
      })
    }
    const html = (await client.get(route('notifications.index')).loginAs(author)).text()
    const link = `<a href="/posts/${post.id}">`
    for (const sentence of ['liked your post', 'commented on your post', 'mentioned you']) {
      assert.include(html, `${link}${sentence}</a>.`)
    }
    assert.include(html, 'Ada Fan</a>')
  })
})
