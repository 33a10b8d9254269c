// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
import sharp from 'sharp'
import { test } from '@japa/runner'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn, uploadFile } from '#tests/browser/helpers'
import { startWorker } from '#tests/integration/helpers/worker'
import { resetFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/feed_graph'
import { waitUntil } from '#tests/helpers'
import db from '@adonisjs/lucid/services/db'

test.group('Browser / posts and the feed', (group) => {
  browserGroup(group)
  group.each.setup(() => resetFeedState())

  test('a user posts a picture from the composer; a friend sees it on /feed', async ({
    visit,
    assert,
    cleanup,
  }) => {
    const picture = await uploadFile(
      cleanup,
      'sunset.jpg',
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#e67e22' } })
        .jpeg()
        .toBuffer()
    )
    // The fan-out job runs in a worker, as in production.
    const stopWorker = await startWorker({ rpc: false })
    cleanup(stopWorker)

    const [author, friend] = await UserFactory.createMany(2)
    await befriend([[author.id, friend.id]])

    // The friend's timeline exists before the post (fan-out, not a rebuild, must bring it).
    const page = await visit('/')
    await signIn(page, friend)
    await page.goto('/feed')
    await page.getByText('Nothing here yet').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()

    await signIn(page, author)
    await page.getByRole('link', { name: 'Feed' }).click()
    await page.waitForURL('/feed')
    const text = page.getByLabel('What is on your mind?')
    await text.fill('Sunset from the pier')
    // The live count comes from /static/app.js (no inline script under the CSP).
    assert.equal(await page.locator('.char-count').textContent(), '20 / 500 characters')
    await page.getByLabel('Picture (optional)').setInputFiles(picture)
    await page.getByRole('button', { name: 'Post' }).click()
    await page.waitForURL('/feed')
    await page.getByText('Your post is published').waitFor()
    await page.locator('.post-image').first().waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()

    await waitUntil(async () => {
      const row = await db.from('posts').whereNotNull('fanned_out_at').first()
      return Boolean(row)
    }, 30_000)

    await signIn(page, friend)
    await page.goto('/feed')
    const post = page.locator('article.post').first()
    await post.getByText('Sunset from the pier').waitFor()
    assert.include(await post.locator('.post-author').textContent(), author.username)
    const loaded = await post.locator('img.post-image').evaluate(async (img: HTMLImageElement) => {
      await img.decode()
      return { width: img.naturalWidth, src: img.getAttribute('src') }
    })
    assert.equal(loaded.width, 640)
    assert.match(loaded.src!, /^\/media\/post_images\/[0-9a-f-]+\.webp$/)
  }).timeout(90_000)
})
