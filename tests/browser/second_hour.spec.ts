// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Page } from 'playwright'
import { UserFactory } from '#database/factories/user_factory'
import { PostService } from '#services/posts/post_service'
import { CacheStores } from '#cache/stores'
import { NotificationService } from '#services/notifications/notification_service'
import FriendRequest from '#models/friend_request'
import { befriend } from '#tests/friends'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { route } from '#tests/helpers'

/** WCAG's contrast ratio of two computed colours (`rgb(r, g, b)`). */
function contrast(a: string, b: string) {
  const luminance = (color: string) => {
    const [r, g, bl] = color
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number)
    const channel = (c: number) => {
      const v = c / 255
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(bl)
  }
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

/** The colour and background of the first element matching `selector` (background from itself or its first ancestor with one). */
function colours(page: Page, selector: string) {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      let node: Element | null = element
      let background = 'rgba(0, 0, 0, 0)'
      while (node && background === 'rgba(0, 0, 0, 0)') {
        background = getComputedStyle(node).backgroundColor
        node = node.parentElement
      }
      return { color: getComputedStyle(element).color, background }
    })
}

const box = async (page: Page, selector: string) =>
  (await page.locator(selector).first().boundingBox())!

test.group('Browser / a newcomer’s second hour', (group) => {
  browserGroup(group)
  group.each.setup(async () => (await app.container.make(CacheStores)).recentPublicPosts.clear())

  for (const width of [375, 1280]) {
    test(`visitors see what G-Social is and the newest posts, times in their zone (${width} px)`, async ({
      browser,
      assert,
    }) => {
      const ada = await UserFactory.merge({ firstName: 'Ada' }).create()
      const posts = await app.container.make(PostService)
      const post = await posts.create(ada.id, { text: 'Hello from the pier' })

      const context = await browser.newContext({
        baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
        timezoneId: 'Asia/Tokyo',
        viewport: { width, height: 800 },
      })
      const page = await context.newPage()
      await page.goto(route('home'))
      await page.getByRole('heading', { name: 'Welcome to G-Social' }).waitFor()
      assert.isTrue(await page.getByText('Live notifications').isVisible())
      assert.isTrue(await page.getByRole('link', { name: 'Create an account' }).isVisible())
      const article = page.locator(`#post-${post.id}`)
      assert.include(await article.textContent(), 'Hello from the pier')

      // "just now", the exact time on hover in the viewer's zone (Tokyo is UTC+9, no summer time).
      const time = article.locator('time')
      assert.equal(await time.textContent(), 'just now')
      assert.equal(await time.getAttribute('datetime'), post.created_at)
      const title = (await time.getAttribute('title'))!
      assert.notInclude(title, 'UTC')
      assert.match(title, /GMT\+9|JST/)
      await context.close()
    })

    test(`Delete this post asks first, also without JavaScript (${width} px)`, async ({
      browser,
      assert,
    }) => {
      const ada = await UserFactory.create()
      const posts = await app.container.make(PostService)
      const post = await posts.create(ada.id, { text: 'A post to delete' })
      const context = await browser.newContext({
        baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
        javaScriptEnabled: false,
        viewport: { width, height: 800 },
      })
      const page = await context.newPage()
      await signIn(page, ada)
      await page.getByRole('link', { name: 'Delete this post' }).click()
      await page.waitForURL(route('posts.delete', { id: post.id }))
      await page.getByRole('heading', { name: 'Delete this post?' }).waitFor()
      // Cancel keeps it.
      await page.getByRole('link', { name: 'Cancel' }).click()
      await page.waitForURL(route('posts.show', { id: post.id }))
      await page.getByRole('link', { name: 'Delete this post' }).click()
      // The button that cannot be undone looks it.
      const button = await colours(page, 'button.danger')
      const primary = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()
      )
      assert.notEqual(button.background, primary)
      assert.match(button.background, /^rgb\((1[5-9]\d|2\d\d), \d{1,2}, \d{1,2}\)$/)
      await page.getByRole('button', { name: 'Delete' }).click()
      await page.waitForURL('/feed')
      await page.assertTextContains('.flash-success', 'Your post is deleted')
      assert.isFalse(await page.getByText('A post to delete').isVisible())
      await context.close()
    })

    test(`Unfriend asks first; a friend request is answered from its notification (${width} px)`, async ({
      visit,
      assert,
    }) => {
      const [ada, bob, cy] = await UserFactory.merge([
        { firstName: 'Ada' },
        { firstName: 'Bob', username: 'bob' },
        { firstName: 'Cy', username: 'cy_with_a_rather_long_username_indeed' },
      ]).createMany(3)
      await befriend(ada, bob)
      const request = await FriendRequest.create({
        senderId: cy.id,
        receiverId: ada.id,
        status: 'pending',
      })
      await new NotificationService().record({
        type: 'friend_request',
        recipientId: ada.id,
        actorId: cy.id,
        subjectId: request.id,
        at: Date.now(),
      })

      const page = await visit(route('login'))
      await page.setViewportSize({ width, height: 800 })
      await signIn(page, ada)
      assert.isTrue(
        await page.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).isVisible()
      )

      // Opening the list reads it: the badge goes, the request shows as new once, with its buttons.
      await page.getByRole('link', { name: 'Notifications, 1 unread' }).click()
      await page.waitForURL('/notifications')
      await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor()
      await page.assertNotVisible(page.locator('[data-unread-count]'))
      assert.equal(await page.locator('.notification-unread').count(), 1)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth
      )
      assert.isAtMost(overflow, 0, 'the notifications page scrolls sideways')
      await page.getByRole('button', { name: /^Accept/ }).click()
      await page.waitForURL('/notifications')
      assert.equal(await page.getByRole('button', { name: /^Accept/ }).count(), 0)
      assert.equal(await page.locator('.notification-unread').count(), 0)

      // Unfriend: a page asks first; Cancel keeps the friend.
      await page.goto(route('users.show', { id: bob.id }))
      await page.getByRole('link', { name: `Unfriend ${bob.username}` }).click()
      await page.waitForURL(route('friends.unfriend', { user_id: bob.id }))
      await page.getByRole('link', { name: 'Cancel' }).click()
      await page.waitForURL(route('users.show', { id: bob.id }))
      assert.equal(await page.locator('.friend-state').textContent(), 'Friends')
      await page.getByRole('link', { name: `Unfriend ${bob.username}` }).click()
      await page.getByRole('button', { name: 'Unfriend' }).click()
      await page.waitForURL(route('users.show', { id: bob.id }))
      await page.assertTextContains('.flash-success', 'You are no longer friends')

      // People rows: the buttons in one place whatever the name's length.
      await page.goto(route('people'))
      const rows = page.locator('.person')
      await rows.first().waitFor()
      const placements: string[] = []
      for (const row of await rows.all()) {
        if (!(await row.locator('.friend-button').count())) continue
        const name = (await row.locator('.person-link').boundingBox())!
        const button = (await row.locator('.friend-button').boundingBox())!
        placements.push(button.y >= name.y + name.height - 1 ? 'below' : 'beside')
      }
      assert.isAtLeast(placements.length, 2)
      assert.deepEqual(new Set(placements), new Set([width === 375 ? 'below' : 'beside']))
    })
  }

  test('at 375 px the header is laid out the same on every page', async ({ visit, assert }) => {
    const user = await UserFactory.merge({
      username: 'a_username_long_enough_to_be_shortened',
    }).create()
    await new NotificationService().record({
      type: 'friend_accepted',
      recipientId: user.id,
      actorId: (await UserFactory.create()).id,
      subjectId: 1,
      at: Date.now(),
    })
    const page = await visit(route('login'))
    await page.setViewportSize({ width: 375, height: 800 })
    const layout = async () => ({
      header: (await box(page, '.site-header')).height,
      links: (await box(page, '.nav-links')).y,
      search: (await box(page, '.nav-search')).y,
    })
    const guest = await layout()
    for (const path of [route('register'), route('people'), '/nope']) {
      await page.goto(path)
      assert.deepEqual(await layout(), guest, path)
    }
    await signIn(page, user)
    const member = await layout()
    // Brand and who is signed in, then the links, then the search.
    assert.isAbove(member.links, (await box(page, '.brand')).y)
    assert.isAbove(member.search, member.links)
    for (const path of [
      route('home'),
      route('friends'),
      route('users.show', { id: user.id }),
      route('settings.account'),
      route('notifications.index'), // the badge goes to 0 here
      route('people'),
    ]) {
      await page.goto(path)
      assert.deepEqual(await layout(), member, path)
    }
  })

  test('a dark theme for dark systems, every pair readable', async ({ browser, assert }) => {
    const ada = await UserFactory.create()
    const posts = await app.container.make(PostService)
    await posts.create(ada.id, { text: 'Readable at night' })
    const context = await browser.newContext({
      baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
      colorScheme: 'dark',
    })
    const page = await context.newPage()
    await page.goto(route('home'))
    const body = await colours(page, 'body')
    assert.isBelow(contrast(body.background, 'rgb(0, 0, 0)'), 2, 'a dark page')
    for (const selector of [
      'body',
      'h1',
      '.post-text',
      '.post .username',
      'main a:not(.button)',
      '.button',
      '.button-secondary',
      '.post',
    ]) {
      const { color, background } = await colours(page, selector)
      assert.isAtLeast(contrast(color, background), 4.5, selector)
    }
    await page.goto(route('login'))
    for (const selector of ['.field input', '.field label', '.card']) {
      const { color, background } = await colours(page, selector)
      assert.isAtLeast(contrast(color, background), 4.5, selector)
    }
    await signIn(page, ada)
    await page.goto(route('settings.account'))
    const danger = await colours(page, 'button.danger')
    assert.isAtLeast(contrast(danger.color, danger.background), 4.5, 'button.danger')
    await context.close()
  })
})
