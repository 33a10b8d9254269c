// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Page } from 'playwright'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { drainFanOuts, resetFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/feed_graph'
import { route } from '#tests/helpers'
import { PostService } from '#services/posts/post_service'

/** Errors the page's scripts raise (the browser's own /favicon.ico 404 aside). */
function watchErrors(page: Page) {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('404')) problems.push(message.text())
  })
  return problems
}

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/** A post written and fanned out as the worker would, while the browser looks. */
async function publish(authorId: number, text: string) {
  const post = await (await app.container.make(PostService)).create(authorId, { text })
  await drainFanOuts()
  return post
}

test.group('Browser / editing a post and the live feed', (group) => {
  browserGroup(group)
  group.each.setup(() => resetFeedState())

  for (const width of [375, 1280]) {
    test(`the author edits a post from its page; it shows "edited" (${width} px)`, async ({
      visit,
      assert,
    }) => {
      const [author, mentioned] = await UserFactory.merge([
        {},
        { username: 'mentioned_one' },
      ]).createMany(2)
      const post = await (
        await app.container.make(PostService)
      ).create(author.id, {
        text: 'First thoughts',
      })
      const page = await visit(route('login'))
      await page.setViewportSize({ width, height: 800 })
      const problems = watchErrors(page)
      await signIn(page, author)
      await page.goto(route('posts.show', { id: post.id }))
      assert.equal(await page.locator('.post-edited').count(), 0)

      await page.getByRole('link', { name: 'Edit this post' }).click()
      await page.waitForURL(route('posts.edit', { id: post.id }))
      assert.isAtMost(await sideways(page), 0)
      const field = page.getByLabel('Text')
      assert.equal(await field.inputValue(), 'First thoughts')
      const url = `https://example.com/${'long-path-segment/'.repeat(8)}end`
      await field.fill(`Second thoughts, @mentioned_one: ${url}.`)
      await page.getByRole('button', { name: 'Save' }).click()
      await page.waitForURL(route('posts.show', { id: post.id }))
      await page.getByText('Your post is updated').waitFor()

      const article = page.locator('article.post')
      assert.include(await article.locator('.post-text').textContent(), 'Second thoughts')
      const edited = article.locator('time.post-edited')
      assert.equal(await edited.textContent(), 'edited')
      assert.match((await edited.getAttribute('title'))!, /^Edited \d+ \w+ \d{4}, \d\d:\d\d UTC$/)
      const link = article.locator('.post-text a[rel="nofollow noopener ugc"]')
      assert.equal(await link.getAttribute('href'), url)
      assert.equal(
        await article.locator('.post-text a.mention').getAttribute('href'),
        route('users.show', { id: mentioned.id })
      )
      assert.isAtMost(await sideways(page), 0, `the post page scrolls sideways at ${width} px`)

      // A text-only post cannot be emptied: the form says so and keeps what was typed.
      await page.goto(route('posts.edit', { id: post.id }))
      await page.getByLabel('Text').fill('   ')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Write something or delete the post').waitFor()
      assert.deepEqual(problems, [])
    }).timeout(60_000)

    test(`an open feed shows "N new posts" when friends post, and loads them on click (${width} px)`, async ({
      visit,
      assert,
    }) => {
      const [reader, friend, stranger] = await UserFactory.createMany(3)
      await befriend([[reader.id, friend.id]])
      await publish(friend.id, 'Already there')

      const page = await visit(route('login'))
      await page.setViewportSize({ width, height: 800 })
      const problems = watchErrors(page)
      await signIn(page, reader)
      await page.goto(route('feed'))
      await page.getByText('Already there').waitFor()
      const notice = page.locator('[data-new-posts]')
      await page.assertNotVisible(notice)
      // Wait for the subscription, as a reader who has the page open would have it.
      await page.locator('[data-new-posts][data-subscribed]').waitFor({ state: 'attached' })

      await publish(stranger.id, 'Not for this feed')
      await publish(friend.id, 'Fresh news')
      await notice.getByText('1 new post').waitFor()
      await publish(friend.id, 'More news')
      await notice.getByText('2 new posts').waitFor()
      assert.isAtMost(await sideways(page), 0, `the feed scrolls sideways at ${width} px`)

      await notice.getByRole('link', { name: '2 new posts' }).click()
      await page.waitForURL(route('feed'))
      await page.getByText('More news').waitFor()
      const texts = await page.locator('article.post .post-text').allTextContents()
      assert.deepEqual(texts, ['More news', 'Fresh news', 'Already there'])
      await page.assertNotVisible(page.locator('[data-new-posts]'))
      assert.deepEqual(problems, [])
    }).timeout(60_000)
  }
})
