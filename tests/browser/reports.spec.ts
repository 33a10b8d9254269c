import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import { CommentService } from '#services/comments/comment_service'
import Report from '#models/report'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { route } from '#tests/helpers'
import { resetFeedState } from '#tests/posts_helpers'

test.group('Browser / reporting', (group) => {
  browserGroup(group)
  // Post ids start again with the tables; the Redis post cache must too.
  group.each.setup(() => resetFeedState())

  for (const width of [375, 1280]) {
    test(`a post is reported from its page at ${width} px, and the reporter thanked`, async ({
      visit,
      assert,
    }) => {
      const [reporter, author] = await UserFactory.createMany(2)
      const post = await Post.create({ userId: author.id, text: 'Cheap watches' })

      const page = await visit(route('home'))
      await page.setViewportSize({ width, height: 800 })
      await signIn(page, reporter)
      await page.goto(route('posts.show', { id: post.id }))
      await page.getByText('Report this post').click()
      await page.getByLabel('Why are you reporting it?').selectOption('spam')
      await page.getByLabel(/Anything the moderators should know/).fill('Every day, again')
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth
      )
      assert.isAtMost(overflow, 0, `the open form scrolls sideways at ${width} px`)
      await page.getByRole('button', { name: 'Send the report' }).click()

      await page.waitForURL(route('reports.thanks'))
      await page.getByRole('heading', { name: 'Thanks — our moderators will look at it' }).waitFor()
      const report = await Report.query().firstOrFail()
      assert.include(report.$attributes, {
        targetType: 'post',
        targetId: post.id,
        reason: 'spam',
        note: 'Every day, again',
      })
    })
  }

  test('a comment is reported from under it at 375 px, its own form only', async ({
    visit,
    assert,
  }) => {
    const [reporter, author, commenter] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const comments = await app.container.make(CommentService)
    await comments.create(author, post.id, 'Thanks for reading')
    const rude = await comments.create(commenter, post.id, 'You are all idiots')
    await comments.create(reporter, post.id, 'Mine, not reportable')

    const page = await visit(route('home'))
    await page.setViewportSize({ width: 375, height: 800 })
    await signIn(page, reporter)
    await page.goto(route('posts.show', { id: post.id }))
    assert.equal(await page.getByText('Report this comment').count(), 2)
    const comment = page.locator(`#comment-${rude.id}`)
    await comment.getByText('Report this comment').click()
    await comment.getByLabel('Why are you reporting it?').selectOption('harassment')
    await comment.getByLabel(/Anything the moderators should know/).fill('Not the first time')
    // Only this comment's form opened.
    assert.equal(await page.locator('details.report[open]').count(), 1)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth
    )
    assert.isAtMost(overflow, 0, 'the open form scrolls sideways at 375 px')
    await comment.getByRole('button', { name: 'Send the report' }).click()

    await page.waitForURL(route('reports.thanks'))
    await page.getByRole('heading', { name: 'Thanks — our moderators will look at it' }).waitFor()
    const report = await Report.query().firstOrFail()
    assert.include(report.$attributes, {
      targetType: 'comment',
      targetId: rude.id,
      targetUserId: commenter.id,
      reason: 'harassment',
      note: 'Not the first time',
    })
  })
})
