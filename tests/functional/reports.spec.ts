import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import router from '@adonisjs/core/services/router'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import { CommentService } from '#services/comments/comment_service'
import { PostService } from '#services/posts/post_service'
import Report from '#models/report'
import { UserFactory } from '#database/factories/user_factory'
import { Reports } from '#services/moderation/reports'
import { insertPosts, insertUsers } from '#tests/feed_graph'
import { isolateDatabase, route, truncateTables, whileRowIsHeld } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'

test.group('API / reports', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('a post: 201 open, the report keeps whose it is and its text', async ({
    client,
    assert,
  }) => {
    const [reporter, author] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Buy cheap watches' })

    const response = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(reporter)
      .json({ post_id: post.id, reason: 'spam', note: 'Third time\r\ntoday' })

    response.assertStatus(201)
    const report = await Report.findOrFail(response.body().id)
    assert.deepEqual(response.body(), { id: report.id, status: 'open' })
    assert.include(report.$attributes, {
      reporterId: reporter.id,
      targetType: 'post',
      targetId: post.id,
      targetUserId: author.id,
      targetText: 'Buy cheap watches',
      reason: 'spam',
      note: 'Third time\ntoday',
      status: 'open',
    })
  })

  test('reporting the same post again while the report is open adds to it', async ({
    client,
    assert,
  }) => {
    const [reporter, author, other] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Buy cheap watches' })
    const report = (by: User, body: Record<string, unknown>) =>
      client.post(route('api.reports.store')).withGuard('api').loginAs(by).json(body)

    const first = await report(reporter, { post_id: post.id, reason: 'spam', note: 'Ads' })
    const posts = await app.container.make(PostService)
    await posts.update(post, { text: 'Buy cheap watches, now with threats' })
    const again = await report(reporter, { post_id: post.id, reason: 'harassment' })
    again.assertStatus(201)
    assert.deepEqual(again.body(), first.body())
    const [kept] = await Report.query().where('reporterId', reporter.id)
    assert.include(kept.$attributes, {
      reason: 'harassment',
      note: 'Ads',
      targetText: 'Buy cheap watches, now with threats',
    })

    // Someone else's report, and one made after the first was resolved, are their own.
    const byOther = await report(other, { post_id: post.id, reason: 'spam' })
    assert.notEqual(byOther.body().id, first.body().id)
    await kept.merge({ status: 'resolved', action: 'dismiss' }).save()
    const later = await report(reporter, { post_id: post.id, reason: 'spam' })
    later.assertStatus(201)
    assert.notEqual(later.body().id, first.body().id)
    assert.lengthOf(await Report.query().where('reporterId', reporter.id), 2)
  })

  test('a user: 201, without a note', async ({ client, assert }) => {
    const [reporter, other] = await UserFactory.createMany(2)
    const response = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(reporter)
      .json({ user_id: other.id, reason: 'harassment' })

    response.assertStatus(201)
    const report = await Report.findOrFail(response.body().id)
    assert.include(report.$attributes, {
      targetType: 'user',
      targetId: other.id,
      targetUserId: other.id,
      note: null,
    })
  })

  test('a comment: 201, whose it is and its text', async ({ client, assert }) => {
    const [reporter, author, commenter] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const comments = await app.container.make(CommentService)
    const comment = await comments.create(commenter, post.id, 'You are all idiots')

    const response = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(reporter)
      .json({ comment_id: comment.id, reason: 'harassment' })

    response.assertStatus(201)
    const report = await Report.findOrFail(response.body().id)
    assert.include(report.$attributes, {
      targetType: 'comment',
      targetId: comment.id,
      targetUserId: commenter.id,
      targetText: 'You are all idiots',
    })
    const missing = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(reporter)
      .json({ comment_id: 999999, reason: 'spam' })
    missing.assertStatus(404)
    missing.assertBody({ errors: [{ message: 'Comment not found' }] })
    const own = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(commenter)
      .json({ comment_id: comment.id, reason: 'spam' })
    own.assertStatus(422)
  })

  test('404 for a post or user that does not exist, or is suspended', async ({ client }) => {
    const [reporter, suspended] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: suspended.id, text: 'Hidden soon' })
    await suspended.merge({ suspendedAt: suspended.createdAt }).save()
    const report = (body: object) =>
      client.post(route('api.reports.store')).withGuard('api').loginAs(reporter).json(body)

    const missingPost = await report({ post_id: 999999, reason: 'spam' })
    missingPost.assertStatus(404)
    missingPost.assertBody({ errors: [{ message: 'Post not found' }] })
    ;(await report({ user_id: 999999, reason: 'spam' })).assertStatus(404)
    ;(await report({ user_id: suspended.id, reason: 'spam' })).assertStatus(404)
    ;(await report({ post_id: post.id, reason: 'spam' })).assertStatus(404)
  })

  test('404 for what a block or an audience hides from the reporter', async ({ client }) => {
    const [reporter, blocker, stranger] = await UserFactory.createMany(3)
    const hidden = await Post.create({
      userId: stranger.id,
      text: 'Friends only',
      audience: 'friends',
    })
    const blocked = await client
      .put(route('api.blocks.store', { id: reporter.id }))
      .withGuard('api')
      .loginAs(blocker)
    blocked.assertStatus(204)
    const report = (body: object) =>
      client.post(route('api.reports.store')).withGuard('api').loginAs(reporter).json(body)

    ;(await report({ user_id: blocker.id, reason: 'spam' })).assertStatus(404)
    ;(await report({ post_id: hidden.id, reason: 'spam' })).assertStatus(404)
    ;(await report({ user_id: stranger.id, reason: 'spam' })).assertStatus(201)
  })

  test('422: none or two targets, a bad reason, a long note, yourself', async ({
    client,
    assert,
  }) => {
    const [reporter, other] = await UserFactory.createMany(2)
    const own = await Post.create({ userId: reporter.id, text: 'Mine' })
    const report = async (body: object) => {
      const response = await client
        .post(route('api.reports.store'))
        .withGuard('api')
        .loginAs(reporter)
        .json(body)
      response.assertStatus(422)
      return response.body().errors.map((error: { field: string; rule: string }) => error.rule)
    }

    assert.deepEqual(await report({ reason: 'spam' }), ['exactlyOne'])
    assert.deepEqual(await report({ post_id: own.id, user_id: other.id, reason: 'spam' }), [
      'exactlyOne',
    ])
    assert.deepEqual(await report({ user_id: other.id, reason: 'rude' }), ['enum'])
    assert.deepEqual(await report({ user_id: other.id }), ['required'])
    assert.deepEqual(await report({ user_id: other.id, reason: 'other', note: 'x'.repeat(1001) }), [
      'maxLength',
    ])
    assert.deepEqual(await report({ user_id: other.id, reason: 'other', note: 'see \u202Eabc' }), [
      'controlCharacters',
    ])
    assert.deepEqual(await report({ user_id: reporter.id, reason: 'spam' }), ['notSelf'])
    assert.deepEqual(await report({ post_id: own.id, reason: 'spam' }), ['notSelf'])
    assert.lengthOf(await Report.all(), 0)
  })

  test('401 without a token, 403 before the email is confirmed', async ({ client }) => {
    const other = await UserFactory.create()
    const unconfirmed = await UserFactory.apply('unverified').create()
    const body = { user_id: other.id, reason: 'spam' }
    ;(await client.post(route('api.reports.store')).json(body)).assertStatus(401)
    const refused = await client
      .post(route('api.reports.store'))
      .withGuard('api')
      .loginAs(unconfirmed)
      .json(body)
    refused.assertStatus(403)
    refused.assertBodyContains({ errors: [{ rule: 'email_unverified' }] })
  })

  test('429 after 20 reports a day from one account', async ({ client, assert }) => {
    const [reporter, other] = await UserFactory.createMany(2)
    const report = () =>
      client
        .post(route('api.reports.store'))
        .withGuard('api')
        .loginAs(reporter)
        .json({ user_id: other.id, reason: 'spam' })
    for (let i = 0; i < 20; i++) (await report()).assertStatus(201)

    const refused = await report()
    refused.assertStatus(429)
    refused.assertBodyContains({ errors: [{ rule: 'rate_limit' }] })
    assert.isAbove(Number(refused.header('retry-after')), 0)
    // Each try counted toward the limit; the same report again added to the open one.
    assert.lengthOf(await Report.all(), 1)
  })
})

test.group('Web / report forms', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('the post page and the profile offer a report form, not to the author', async ({
    client,
    assert,
  }) => {
    const [viewer, author] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const page = async (path: string, as: typeof viewer) => {
      const response = await client.get(path).loginAs(as)
      response.assertStatus(200)
      return response.text()
    }
    const postPage = await page(route('posts.show', { id: post.id }), viewer)
    assert.include(postPage, `name="post_id" value="${post.id}"`)
    assert.include(postPage, 'Report this post')
    assert.include(postPage, `<label for="report-post-${post.id}-reason">`)
    assert.include(postPage, `<select id="report-post-${post.id}-reason" name="reason"`)

    const profile = await page(route('users.show', { id: author.id }), viewer)
    assert.include(profile, `name="user_id" value="${author.id}"`)

    assert.notInclude(await page(route('posts.show', { id: post.id }), author), 'Report this')
    assert.notInclude(await page(route('users.show', { id: author.id }), author), 'Report this')
    const visitor = await client.get(route('posts.show', { id: post.id }))
    assert.notInclude(visitor.text(), 'Report this')
  })

  test('a form report is thanked, never told the outcome', async ({ client, assert }) => {
    const [reporter, author] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    const response = await sendReportForm(client, reporter, route('posts.show', { id: post.id }), {
      post_id: post.id,
      reason: 'other',
      note: '',
    })
    response.assertStatus(302)
    response.assertHeader('location', router.makeUrl('reports.thanks'))
    const report = await Report.query().firstOrFail()
    assert.include(report.$attributes, { targetId: post.id, reason: 'other', note: null })

    const thanks = await client.get(router.makeUrl('reports.thanks')).loginAs(reporter)
    thanks.assertStatus(200)
    assert.include(thanks.text(), 'Thanks — our moderators will look at it')
  })

  test('a bad form goes back with the message and the form open', async ({ client, assert }) => {
    const [reporter, author] = await UserFactory.createMany(2)
    const profile = route('users.show', { id: author.id })
    const response = await sendReportForm(client, reporter, profile, {
      user_id: author.id,
      reason: 'rude',
    })
    response.assertStatus(302)
    response.assertHeader('location', profile)
    assert.lengthOf(await Report.all(), 0)
  })

  test('one form per comment of someone else, its ids its own, and it reports that comment', async ({
    client,
    assert,
  }) => {
    const [viewer, author, other] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const comments = await app.container.make(CommentService)
    const byAuthor = await comments.create(author, post.id, 'Thanks for reading')
    const mine = await comments.create(viewer, post.id, 'Nice one')
    const byOther = await comments.create(other, post.id, 'Buy cheap watches')
    const path = route('posts.show', { id: post.id })

    const page = await client.get(path).loginAs(viewer)
    page.assertStatus(200)
    const html = page.text()
    const reported = [...html.matchAll(/name="comment_id" value="(\d+)"/g)].map((m) => Number(m[1]))
    assert.sameMembers(reported, [byAuthor.id, byOther.id])
    assert.notInclude(html, `name="comment_id" value="${mine.id}"`)
    assert.equal(html.split('Report this comment').length - 1, 2)
    assertIdsUniqueAndLabelled(assert, html)
    assert.include(html, `<label for="report-comment-${byOther.id}-reason">`)
    assert.include(html, `<label for="report-comment-${byOther.id}-note">`)

    const response = await sendReportForm(client, viewer, path, {
      comment_id: byOther.id,
      reason: 'spam',
      note: 'Every post',
    })
    response.assertStatus(302)
    response.assertHeader('location', router.makeUrl('reports.thanks'))
    const report = await Report.query().firstOrFail()
    assert.include(report.$attributes, {
      reporterId: viewer.id,
      targetType: 'comment',
      targetId: byOther.id,
      targetUserId: other.id,
      targetText: 'Buy cheap watches',
      reason: 'spam',
      note: 'Every post',
    })

    // Signed out: no report form at all.
    const visitor = await client.get(path)
    assert.notInclude(visitor.text(), 'Report this')
  })

  test('a refused comment report opens that form only, with its error', async ({
    client,
    assert,
  }) => {
    const [viewer, author, other] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const comments = await app.container.make(CommentService)
    const first = await comments.create(author, post.id, 'First')
    const second = await comments.create(other, post.id, 'Second')
    const path = route('posts.show', { id: post.id })

    const refused = await sendReportForm(client, viewer, path, {
      comment_id: second.id,
      reason: 'other',
      note: 'x'.repeat(1001),
    })
    refused.assertStatus(302)
    refused.assertHeader('location', path)
    assert.lengthOf(await Report.all(), 0)

    const page = await client.get(path).loginAs(viewer).withFlashMessages(refused.flashMessages())
    const html = page.text()
    const opened = [...html.matchAll(/<details class="report" open>[\s\S]*?<\/details>/g)]
    assert.lengthOf(opened, 1)
    assert.include(opened[0][0], `name="comment_id" value="${second.id}"`)
    assert.include(opened[0][0], `id="report-comment-${second.id}-note-error"`)
    assert.include(opened[0][0], `aria-describedby="report-comment-${second.id}-note-error"`)
    assert.include(opened[0][0], `>${'x'.repeat(1001)}</textarea>`)
    assert.notInclude(html, `report-comment-${first.id}-note-error`)
    assert.notInclude(html, `report-post-${post.id}-note-error`)
    assertIdsUniqueAndLabelled(assert, html)
  })
})

/** A page's report form sent as a browser does (CSRF token, session), its redirect not followed. */
function sendReportForm(client: ApiClient, reporter: User, referer: string, form: object) {
  return client
    .post(router.makeUrl('reports.store'))
    .header('referer', referer)
    .form(form)
    .withCsrfToken()
    .loginAs(reporter)
    .redirects(0)
}

/** No id twice on the page, and every label's `for` names a control that is there. */
function assertIdsUniqueAndLabelled(assert: Assert, html: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'ids used more than once'
  )
  const targets = [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1])
  assert.deepEqual(
    targets.filter((id) => !ids.includes(id)),
    [],
    'labels for no control'
  )
}

test.group('Reports / sent twice at once', (group) => {
  // Committed rows (the pool's connections race): emptied before and after.
  group.each.setup(async () => {
    await truncateTables()
    return () => truncateTables()
  })
  isolateFeedState(group)

  test('the same report sent twice at once is one open report', async ({ assert }) => {
    const [reporter, author] = await insertUsers(2, 'twice')
    const [postId] = await insertPosts([author])
    const reports = await app.container.make(Reports)
    const send = (reason: 'spam' | 'harassment') =>
      reports.create({ id: reporter }, { target: { type: 'post', id: postId }, reason })

    // The reporter's row held meanwhile, so that both are sent before either is written.
    const [first, second] = await whileRowIsHeld('users', reporter, () =>
      Promise.all([send('spam'), send('harassment')])
    )
    assert.equal(first.id, second.id)
    assert.lengthOf(await Report.query().where('reporterId', reporter), 1)
  })
})
