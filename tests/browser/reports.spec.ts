import { test } from '@japa/runner'
import Post from '#models/post'
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
})
