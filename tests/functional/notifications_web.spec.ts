import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { UserFactory } from '#database/factories/user_factory'
import { NotificationService } from '#services/notifications/notification_service'
import { isolateDatabase, route } from '#tests/helpers'
import type { NotificationType } from '#models/notification'

const service = new NotificationService()
const notify = (recipientId: number, actorId: number, type: NotificationType = 'friend_request') =>
  service.record({ type, recipientId, actorId, subjectId: 1, at: Date.now() })

/** A user with two unread notifications, the newer from `b`. */
async function userWithTwoUnread() {
  // Fixed names: the page is searched for them as text (no apostrophes to escape).
  const [user, a, b] = await UserFactory.merge([
    { firstName: 'Nora', lastName: 'Reader' },
    { firstName: 'Alma', lastName: 'Asker' },
    { firstName: 'Bruno', lastName: 'Accepter' },
  ]).createMany(3)
  await notify(user.id, a.id)
  await notify(user.id, b.id, 'friend_accepted')
  return { user, a, b }
}

/** The stream id the page's script makes for this user. */
const uidFor = (userId: number) => `u${userId}-${randomUUID()}`

test.group('Web / notifications page and badge', (group) => {
  isolateDatabase(group)

  test('the header of every signed-in page shows the unread count, rendered on the server', async ({
    client,
    assert,
  }) => {
    const { user } = await userWithTwoUnread()

    for (const path of ['/', `/users/${user.id}`, '/notifications']) {
      const response = await client.get(path).loginAs(user)
      response.assertStatus(200)
      const html = response.text()
      assert.match(html, /<span class="badge" data-unread-count\s*>2<\/span>/, path)
      assert.include(html, 'data-notification-badge', path)
      assert.include(html, '<script type="module" src="/static/notifications.js"></script>', path)
      assert.match(html, /<meta name=['"]csrf-token['"]/, path)
    }
  })

  test('no badge and no stream script for visitors; a hidden badge at zero', async ({
    client,
    assert,
  }) => {
    const visitor = await client.get(route('home'))
    assert.notInclude(visitor.text(), 'data-notification-badge')
    assert.notInclude(visitor.text(), 'notifications.js')

    const [user] = await UserFactory.createMany(1)
    const response = await client.get(route('home')).loginAs(user)
    assert.match(response.text(), /<span class="badge" data-unread-count hidden>0<\/span>/)
  })

  test('lists the notifications, newest first, and marks them all read', async ({
    client,
    assert,
  }) => {
    const { user, a, b } = await userWithTwoUnread()

    const page = await client.get(route('notifications.index')).loginAs(user)
    const html = page.text()
    const accepted = html.indexOf(`${b.firstName} ${b.lastName}</a>`)
    const asked = html.indexOf(`${a.firstName} ${a.lastName}</a>`)
    assert.isAbove(accepted, 0)
    assert.isAbove(asked, accepted)
    assert.include(html, 'accepted your friend request.')
    assert.include(html, 'sent you a friend request.')
    assert.equal(html.split('notification-unread').length - 1, 2)

    const read = await client
      .post(route('notifications.read'))
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    read.assertStatus(302)
    read.assertHeader('location', route('notifications.index'))

    const after = await client.get(route('notifications.index')).loginAs(user)
    assert.notInclude(after.text(), 'notification-unread')
    assert.match(after.text(), /data-unread-count hidden>0</)

    const badge = await client.get(route('notifications.badge')).loginAs(user)
    assert.equal(badge.body().unread_count, 0)
    assert.isNumber(badge.body().seq)
  })

  test('signed-out visitors are sent to sign in', async ({ client }) => {
    const response = await client.get(route('notifications.index')).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('login'))
  })
})

test.group('Web / the live stream’s routes', (group) => {
  isolateDatabase(group)

  test('the stream answers 401 without a session', async ({ client }) => {
    const response = await client.get(route('transmit.events')).qs({ uid: uidFor(1) })
    response.assertStatus(401)
  })

  test('a stream id made for another user is refused with 403', async ({ client }) => {
    const [user, other] = await UserFactory.createMany(2)
    for (const uid of [uidFor(other.id), 'anything', randomUUID()]) {
      const response = await client.get(route('transmit.events')).qs({ uid }).loginAs(user)
      response.assertStatus(403)
    }
    const subscribe = await client
      .post(route('transmit.subscribe'))
      .json({ uid: uidFor(other.id), channel: `notifications/${other.id}` })
      .loginAs(user)
      .withCsrfToken()
    subscribe.assertStatus(403)
  })

  test('a user may subscribe to their own channel only', async ({ client }) => {
    const [user, other] = await UserFactory.createMany(2)
    const uid = uidFor(user.id)
    const own = await client
      .post(route('transmit.subscribe'))
      .json({ uid, channel: `notifications/${user.id}` })
      .loginAs(user)
      .withCsrfToken()
    own.assertStatus(204)

    const theirs = await client
      .post(route('transmit.subscribe'))
      .json({ uid, channel: `notifications/${other.id}` })
      .loginAs(user)
      .withCsrfToken()
    theirs.assertStatus(403)
  })

  test('subscribing needs the CSRF token', async ({ client, assert }) => {
    const [user] = await UserFactory.createMany(1)
    const response = await client
      .post(route('transmit.subscribe'))
      .json({ uid: uidFor(user.id), channel: `notifications/${user.id}` })
      .loginAs(user)
      .redirects(0)
    assert.notEqual(response.status(), 204)
  })
})
