// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
import { test } from '@japa/runner'
import { UserFactory } from '#database/factories/user_factory'
import Post from '#models/post'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { resetFeedState } from '#tests/posts_helpers'
import { route } from '#tests/helpers'

test.group('Browser / comments and likes', (group) => {
  browserGroup(group)
  group.each.setup(() => resetFeedState())

  for (const width of [375, 1280]) {
    test(`at ${width} px: like without a reload, comment, unlike`, async ({ visit, assert }) => {
      const [author, fan] = await UserFactory.createMany(2)
      const post = await Post.create({ userId: author.id, text: 'Like me' })

      const page = await visit(route('home'))
      await page.setViewportSize({ width, height: 800 })
      await signIn(page, fan)
      await page.goto(route('posts.show', { id: post.id }))
      const article = page.locator(`#post-${post.id}`)
      await article.getByText('0 likes').waitFor()

      // The script sends the form: the page stays (its marker survives), the count moves.
      await page.evaluate(() => ((window as any).stayed = true))
      await article.getByRole('button', { name: 'Like', exact: true }).click()
      await article.getByRole('button', { name: 'Unlike', exact: true }).waitFor()
      assert.equal(await article.locator('[data-like-count]').textContent(), '1 like')
      assert.isTrue(await page.evaluate(() => (window as any).stayed === true))
      assert.equal(
        await article
          .getByRole('button', { name: 'Unlike', exact: true })
          .getAttribute('aria-pressed'),
        'true'
      )

      // A comment through the form, shown on the page it comes back to.
      await page.getByLabel('Add a comment').fill('Lovely\nTwo lines')
      await page.getByRole('button', { name: 'Comment' }).click()
      await page.getByText('Your comment is published').waitFor()
      await page.locator('.comment-text', { hasText: 'Lovely' }).waitFor()
      assert.equal(await article.locator('.comments-link').textContent(), '1 comment')
      assert.equal(await article.locator('[data-like-count]').textContent(), '1 like')
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth
      )
      assert.isAtMost(overflow, 0, `the post page scrolls sideways at ${width} px`)

      await article.getByRole('button', { name: 'Unlike', exact: true }).click()
      await article.getByRole('button', { name: 'Like', exact: true }).waitFor()
      assert.equal(await article.locator('[data-like-count]').textContent(), '0 likes')
      assert.equal((await Post.findOrFail(post.id)).likesCount, 0)
    }).timeout(60_000)
  }

  test('without JavaScript the forms still like and comment', async ({ browser, assert }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Like me' })
    const context = await browser.newContext({
      baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
      javaScriptEnabled: false,
    })
    const page = await context.newPage()
    await signIn(page, fan)
    await page.goto(route('posts.show', { id: post.id }))
    const article = page.locator(`#post-${post.id}`)
    await article.getByRole('button', { name: 'Like', exact: true }).click()
    await article.getByRole('button', { name: 'Unlike', exact: true }).waitFor()
    assert.equal(await article.locator('[data-like-count]').textContent(), '1 like')

    // Refused (text that reads backwards): the form comes back with the error and the text kept.
    const refused = 'Hello \u202Eolleh'
    await page.getByLabel('Add a comment').fill(refused)
    await page.getByRole('button', { name: 'Comment' }).click()
    await page.locator('.field-error').waitFor()
    assert.equal(await page.getByLabel('Add a comment').inputValue(), refused)

    await page.getByLabel('Add a comment').fill('Short and sweet')
    await page.getByRole('button', { name: 'Comment' }).click()
    await page.locator('.comment-text', { hasText: 'Short and sweet' }).waitFor()
    await context.close()
  }).timeout(60_000)
})
