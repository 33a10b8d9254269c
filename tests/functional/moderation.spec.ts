import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import Report from '#models/report'
import OutboxEmail from '#models/outbox_email'
import User from '#models/user'
import { Moderation } from '#services/moderation/moderation'
import db from '@adonisjs/lucid/services/db'
import { CacheStores } from '#cache/stores'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'
import { editPage, signInWithForm } from '#tests/session_helpers'

const moderation = () => app.container.make(Moderation)

function report(reporter: User, target: Post | User, reason: Report['reason'] = 'spam') {
  const isPost = target instanceof Post
  return Report.create({
    reporterId: reporter.id,
    targetType: isPost ? 'post' : 'user',
    targetId: target.id,
    targetUserId: isPost ? target.userId : target.id,
    targetText: isPost ? target.text : null,
    reason,
    status: 'open',
  })
}

const emailsOf = (user: User, kind: OutboxEmail['kind']) =>
  OutboxEmail.query().where({ userId: user.id, kind })

test.group('Moderation / suspension', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('ends the sessions and tokens at once, refuses sign-in, hides the user', async ({
    client,
    assert,
  }) => {
    const [user, other] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: user.id, text: 'Still here?' })
    const login = () =>
      client.post(route('api.auth.login')).json({ uid: user.username, password: FACTORY_PASSWORD })
    const token = (await login()).body().token
    const cookie = await signInWithForm(client, user)
    ;(await client.get(route('api.me')).bearerToken(token)).assertStatus(200)
    ;(await client.get(route('api.users.show', { id: user.id })).loginAs(other)).assertStatus(200)

    assert.isTrue(await (await moderation()).suspend(user.id, 'Spam, again and again'))

    ;(await client.get(route('api.me')).bearerToken(token)).assertStatus(401)
    ;(await editPage(client, user, cookie)).assertStatus(302)
    const refused = await login()
    refused.assertStatus(403)
    refused.assertBody({
      errors: [{ message: refused.body().errors[0].message, rule: 'suspended' }],
    })
    const form = await client
      .post(route('login.store'))
      .form({ uid: user.username, password: FACTORY_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    form.assertStatus(403)
    assert.include(form.text(), 'This account is suspended')
    // A wrong password tells nothing about the suspension.
    const wrong = await client
      .post(route('api.auth.login'))
      .json({ uid: user.username, password: 'not the password' })
    wrong.assertStatus(401)

    // Gone for everyone else: profile, posts, the page.
    ;(await client.get(route('api.users.show', { id: user.id })).loginAs(other)).assertStatus(404)
    ;(await client.get(route('api.users.show', { id: user.id }))).assertStatus(404)
    ;(await client.get(route('api.posts.show', { id: post.id }))).assertStatus(404)
    ;(await client.get(route('api.users.posts', { id: user.id }))).assertStatus(404)
    ;(await client.get(route('users.show', { id: user.id }))).assertStatus(404)

    const fresh = await User.findOrFail(user.id)
    assert.isNotNull(fresh.suspendedAt)
    assert.equal(fresh.suspensionReason, 'Spam, again and again')
    const emails = await emailsOf(user, 'moderation_suspended')
    assert.lengthOf(emails, 1)
    assert.deepEqual(emails[0].payload, { reason: 'Spam, again and again' })

    // Once: a second suspension changes nothing and owes no email.
    assert.isFalse(await (await moderation()).suspend(user.id, 'Again'))
    assert.lengthOf(await emailsOf(user, 'moderation_suspended'), 1)
  })

  test('a session or token that outlived the suspension (Redis away) is refused once its copy expires', async ({
    client,
  }) => {
    const user = await UserFactory.create()
    const token = (
      await client
        .post(route('api.auth.login'))
        .json({ uid: user.username, password: FACTORY_PASSWORD })
    ).body().token
    const cookie = await signInWithForm(client, user)
    // As when the moderator's command could not reach Redis: the row says
    // suspended, the session and the token are still there.
    await db.from('users').where('id', user.id).update({ suspended_at: new Date() })
    const stores = await app.container.make(CacheStores)
    stores.signedInUsers.delete(user.id) // the store's minute, passed
    ;(await client.get(route('api.me')).bearerToken(token)).assertStatus(401)
    ;(await editPage(client, user, cookie)).assertStatus(302)
  })

  test('unsuspending lets the user sign in and be seen again', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const mod = await moderation()
    await mod.suspend(user.id, 'Spam')
    ;(await client.get(route('api.users.show', { id: user.id }))).assertStatus(404)

    assert.isTrue(await mod.unsuspend(user.id))
    assert.isFalse(await mod.unsuspend(user.id))
    ;(await client.get(route('api.users.show', { id: user.id }))).assertStatus(200)
    const login = await client
      .post(route('api.auth.login'))
      .json({ uid: user.username, password: FACTORY_PASSWORD })
    login.assertStatus(200)
    assert.isNull((await User.findOrFail(user.id)).suspensionReason)
  })
})

test.group('Moderation / removal and reports', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('a removed post leaves its page and lists; its reports keep its text', async ({
    client,
    assert,
  }) => {
    const [author, reporter, another] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Buy cheap watches' })
    const kept = await Post.create({ userId: author.id, text: 'A fine day' })
    const first = await report(reporter, post)
    const second = await report(another, post, 'other')
    ;(await client.get(route('api.posts.show', { id: post.id }))).assertStatus(200)

    assert.isTrue(await (await moderation()).removePost(post.id, 'Advertising'))

    ;(await client.get(route('api.posts.show', { id: post.id }))).assertStatus(404)
    ;(await client.get(route('posts.show', { id: post.id }))).assertStatus(404)
    const list = await client.get(route('api.users.posts', { id: author.id }))
    assert.deepEqual(
      list.body().data.map((each: { id: number }) => each.id),
      [kept.id]
    )
    assert.isNull(await Post.find(post.id))

    for (const each of [first, second]) {
      await each.refresh()
      assert.include(each.$attributes, {
        status: 'resolved',
        action: 'remove',
        resolutionNote: 'Advertising',
        targetText: 'Buy cheap watches',
      })
      assert.isNotNull(each.resolvedAt)
    }
    const emails = await emailsOf(author, 'moderation_post_removed')
    assert.lengthOf(emails, 1)
    assert.include(emails[0].payload, { text: 'Buy cheap watches', image: false })
    assert.equal(emails[0].payload.reason, 'Advertising')
    assert.isFalse(await (await moderation()).removePost(post.id, null))
  })

  test('resolving: dismiss changes nothing else; suspend suspends whose it is', async ({
    assert,
  }) => {
    const [author, reporter] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const mod = await moderation()

    const dismissed = await report(reporter, post)
    const result = await mod.resolve(dismissed.id, 'dismiss', null)
    assert.equal(result?.status, 'resolved')
    await dismissed.refresh()
    assert.include(dismissed.$attributes, { status: 'resolved', action: 'dismiss' })
    assert.isNotNull(await Post.find(post.id))
    assert.equal((await mod.resolve(dismissed.id, 'suspend', null))?.status, 'already_resolved')
    assert.isNull(await mod.resolve(999999, 'dismiss', null))

    const aboutUser = await report(reporter, author, 'harassment')
    assert.equal((await mod.resolve(aboutUser.id, 'remove', null))?.status, 'not_removable')
    const suspended = await mod.resolve(aboutUser.id, 'suspend', null)
    assert.deepInclude(suspended, { status: 'resolved', changed: true })
    assert.isNotNull((await User.findOrFail(author.id)).suspendedAt)
    const emails = await emailsOf(author, 'moderation_suspended')
    assert.deepEqual(emails[0].payload, { reason: 'reported for harassment' })
    assert.lengthOf(await emailsOf(author, 'moderation_post_removed'), 0)
  })
})
