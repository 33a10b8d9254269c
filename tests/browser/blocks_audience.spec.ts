import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { resetFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/feed_graph'
import { route } from '#tests/helpers'

/** How far the page scrolls sideways (0 when it fits the viewport). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

test.group('Browser / audience and blocks', (group) => {
  browserGroup(group)
  group.each.setup(() => resetFeedState())

  for (const width of [375, 1280]) {
    test(`a friends-only post from the composer; blocking and unblocking (${width} px)`, async ({
      visit,
      assert,
    }) => {
      const [ada, bob] = await UserFactory.createMany(2)
      await befriend([[ada.id, bob.id]])
      const page = await visit(route('login'))
      await page.setViewportSize({ width, height: 800 })
      await signIn(page, ada)

      // The composer: the audience starts at the default (everyone), friends chosen.
      const audience = page.getByLabel('Who can see it')
      assert.equal(await audience.inputValue(), 'public')
      await page.getByLabel('What is on your mind?').fill('Just for my friends')
      await audience.selectOption('friends')
      assert.isAtMost(await sideways(page), 0)
      await page.getByRole('button', { name: 'Post', exact: true }).click()
      await page.getByText('Your post is published').waitFor()
      const post = page.locator('article.post', { hasText: 'Just for my friends' })
      assert.equal(await post.locator('.post-audience').textContent(), 'Friends only')

      // Block Bob from his profile: he is gone, and listed in the privacy settings.
      await page.goto(route('users.show', { id: bob.id }))
      await page.getByRole('button', { name: `Block ${bob.username}` }).click()
      await page.waitForURL(route('settings.privacy'))
      await page.getByText('You will no longer see each other').waitFor()
      assert.include(await page.locator('.blocked-list').textContent(), `@${bob.username}`)
      assert.isAtMost(await sideways(page), 0)
      const profile = await page.goto(route('users.show', { id: bob.id }))
      assert.equal(profile?.status(), 404)

      // Unblock from the settings (the account page links there).
      await page.goto(route('settings.account'))
      await page.getByRole('link', { name: 'Privacy and blocked people' }).click()
      await page.getByRole('button', { name: `Unblock ${bob.username}` }).click()
      await page.getByText('You have not blocked anyone.').waitFor()
      const again = await page.goto(route('users.show', { id: bob.id }))
      assert.equal(again?.status(), 200)
    })
  }
})
