import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { route } from '#tests/helpers'
import { startWorker } from '#tests/integration/helpers/worker'
import { defaultQueue } from '#jobs/bull_adapter'

test.group('Browser / notifications', (group) => {
  browserGroup(group)
  let stopWorker: (() => Promise<void>) | undefined
  group.each.setup(() => async () => {
    await stopWorker?.()
    stopWorker = undefined
  })

  test('the badge and the list change without a reload when a friend request arrives', async ({
    visit,
    assert,
  }) => {
    // Earlier tests' welcome-email jobs would keep the worker's slots busy.
    await (await defaultQueue()).obliterate({ force: true })
    stopWorker = await startWorker({ rpc: false })
    const [ada, bob] = await UserFactory.merge([
      { firstName: 'Ada', lastName: 'Lovelace' },
      {},
    ]).createMany(2)
    const page = await visit(route('login'))
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      // (the browser's own /favicon.ico request is a 404 here)
      if (message.type() === 'error' && !message.text().includes('404')) {
        problems.push(message.text())
      }
    })
    await signIn(page, bob)
    await page.goto('/notifications')
    const badge = page.locator('[data-unread-count]')
    await page.assertNotVisible(badge)
    await page.assertExists(page.getByText('Nothing yet.'))
    const markRead = page.getByRole('button', { name: 'Mark all as read' })
    assert.isFalse(await markRead.isVisible())
    // Wait for the stream and the subscription before the event, as a user would have.
    await page.locator('[data-notification-badge][data-live="connected"]').waitFor()
    await page.locator('[data-notification-badge][data-subscribed]').waitFor()

    await emitter.emit('friend_request.sent', {
      requestId: 3,
      senderId: ada.id,
      receiverId: bob.id,
    })

    await page.locator('[data-unread-count]:text-is("1")').waitFor()
    await page.assertVisible(badge)
    // The link's name follows the count: "Notifications, 1 unread", then "Notifications".
    await page.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).waitFor()
    await page.assertTextContains('.notification-list', 'Ada Lovelace sent you a friend request.')
    assert.isFalse(await page.getByText('Nothing yet.').isVisible())
    await markRead.waitFor()
    assert.equal(page.url().endsWith('/notifications'), true)

    // Read in this page: the count goes back to zero, here and on reload.
    await page.getByRole('button', { name: 'Mark all as read' }).click()
    await page.waitForURL('/notifications')
    await page.assertNotVisible(badge)
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor()
    assert.deepEqual(problems, [])
  })

  test('without JavaScript the count is still right at each load', async ({ browser, assert }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const { NotificationService } = await import('#services/notifications/notification_service')
    await new NotificationService().record({
      type: 'friend_accepted',
      recipientId: bob.id,
      actorId: ada.id,
      subjectId: 1,
      at: Date.now(),
    })
    const context = await browser.newContext({
      baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
      javaScriptEnabled: false,
    })
    const page = await context.newPage()
    await signIn(page, bob)
    assert.equal(await page.locator('[data-unread-count]').textContent(), '1')
    await page.getByRole('link', { name: /Notifications/ }).click()
    await page.waitForURL('/notifications')
    assert.include(
      await page.locator('.notification-list').textContent(),
      'accepted your friend request.'
    )
    await context.close()
  })
})
