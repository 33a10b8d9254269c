import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { UserFactory } from '#database/factories/user_factory'
import { NotificationService } from '#services/notifications/notification_service'
import { isolateDatabase, route } from '#tests/helpers'
import type { NotificationType } from '#models/notification'
import FriendRequest from '#models/friend_request'
import app from '@adonisjs/core/services/app'
import { NotificationStream } from '#services/notifications/notification_stream'

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

    for (const path of ['/', `/users/${user.id}`, '/friends']) {
      const response = await client.get(path).loginAs(user)
      response.assertStatus(200)
      const html = response.text()
      assert.match(
        html,
        /<span class="badge" data-unread-count aria-hidden="true"\s*>2<\/span>/,
        path
      )
      // The link's name says it: "Notifications, 2 unread".
      assert.include(html, 'aria-label="Notifications, 2 unread"', path)
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
    assert.match(
      response.text(),
      /<span class="badge" data-unread-count aria-hidden="true" hidden>0<\/span>/
    )
    // Nothing unread: the link is named "Notifications" alone.
    assert.include(response.text(), 'aria-label="Notifications">')
  })

  test('lists the notifications, newest first: new ones highlighted once, read from then on', async ({
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
    // Shown as new this once; the header already counts them read.
    assert.equal(html.split('notification-unread').length - 1, 2)
    assert.match(html, /data-unread-count aria-hidden="true" hidden>0</)

    const api = await client.get(route('api.notifications.index')).withGuard('api').loginAs(user)
    assert.equal(api.body().unread_count, 0)
    assert.isTrue(api.body().data.every((notification: { read: boolean }) => notification.read))
    const again = await client.get(route('notifications.index')).loginAs(user)
    assert.notInclude(again.text(), 'notification-unread')

    // Only what the page showed is read: one left on the next page stays unread.
    const [c, d] = await UserFactory.merge([
      { firstName: 'Cora', lastName: 'Caller' },
      { firstName: 'Dario', lastName: 'Dialer' },
    ]).createMany(2)
    await notify(user.id, c.id)
    await notify(user.id, d.id)
    const first = await client.get(`${route('notifications.index')}?limit=1`).loginAs(user)
    assert.include(first.text(), `${d.firstName} ${d.lastName}</a>`)
    assert.include(first.text(), 'notification-unread')
    assert.match(first.text(), /data-unread-count aria-hidden="true"\s*>1</)
    const badge = await client.get(route('notifications.badge')).loginAs(user)
    assert.equal(badge.body().unread_count, 1)
  })

  test('a page reads its badge from the kept count until a change publishes', async ({
    client,
    assert,
  }) => {
    const { user } = await userWithTwoUnread()
    const badgeOf = async (path: string) => {
      const html = (await client.get(path).loginAs(user)).text()
      return /data-unread-count aria-hidden="true"\s*(?:hidden)?>(\d+)</.exec(html)?.[1]
    }
    assert.equal(await badgeOf('/'), '2')

    // A row written without its live update (a job publishes after writing): the kept count stands.
    const [c] = await UserFactory.createMany(1)
    await notify(user.id, c.id)
    assert.equal(await badgeOf(`/users/${user.id}`), '2')

    // The update drops it (on every replica: CacheInvalidation.unread); the next page counts.
    const stream = await app.container.make(NotificationStream)
    const message = await stream.publish(user.id)
    assert.equal(message.unread_count, 3)
    assert.equal(await badgeOf('/friends'), '3')
    const badge = await client.get(route('notifications.badge')).loginAs(user)
    assert.deepEqual(badge.body(), { unread_count: 3, seq: message.seq })
  })

  test('a pending friend request is accepted from its notification', async ({ client, assert }) => {
    const [user, asker] = await UserFactory.merge([{}, { firstName: 'Alma' }]).createMany(2)
    const request = await FriendRequest.create({
      senderId: asker.id,
      receiverId: user.id,
      status: 'pending',
    })
    await notify(user.id, asker.id)

    const page = await client.get(route('notifications.index')).loginAs(user)
    const accept = route('friend_requests.accept', { id: request.id })
    assert.include(page.text(), `action="${accept}"`)
    assert.include(page.text(), route('friend_requests.decline', { id: request.id }))

    const accepted = await client
      .post(accept)
      .header('referer', route('notifications.index'))
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    accepted.assertStatus(302)
    accepted.assertHeader('location', route('notifications.index'))
    await request.refresh()
    assert.equal(request.status, 'accepted')

    // Answered: the notification stays, its buttons go.
    const after = await client.get(route('notifications.index')).loginAs(user)
    assert.include(after.text(), 'sent you a friend request.')
    assert.notInclude(after.text(), accept)
  })

  test('"Mark all as read" marks what arrived since the page was shown', async ({
    client,
    assert,
  }) => {
    const { user } = await userWithTwoUnread()
    const read = await client
      .post(route('notifications.read'))
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    read.assertStatus(302)
    read.assertHeader('location', route('notifications.index'))

    const after = await client.get(route('notifications.index')).loginAs(user)
    assert.notInclude(after.text(), 'notification-unread')
    assert.match(after.text(), /data-unread-count aria-hidden="true" hidden>0</)

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

  test('a stream id made for another user is a 403; a missing or made-up one a 422', async ({
    client,
  }) => {
    const [user, other] = await UserFactory.createMany(2)
    const stream = (qs: { uid?: string }) =>
      client.get(route('transmit.events')).qs(qs).loginAs(user)
    const theirs = await stream({ uid: uidFor(other.id) })
    theirs.assertStatus(403)
    theirs.assertBodyContains({ errors: [{ message: 'This stream belongs to another session' }] })
    for (const qs of [{}, { uid: 'anything' }, { uid: randomUUID() }]) {
      const response = await stream(qs)
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'uid' }] })
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
