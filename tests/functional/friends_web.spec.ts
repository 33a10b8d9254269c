import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import FriendRequest from '#models/friend_request'
import { UserFactory } from '#database/factories/user_factory'
import { befriend, requestBetween } from '#tests/friends'
import { isolateDatabase, rawRequest } from '#tests/helpers'
import type User from '#models/user'
import type { ApiClient } from '@japa/api-client'
import router from '@adonisjs/core/services/router'

/** "Add friend" pressed on the receiver's profile page. */
function addFriendByForm(client: ApiClient, sender: User, receiver: User) {
  return client
    .post(router.makeUrl('friend_requests.store'))
    .header('referer', router.makeUrl('users.show', { id: receiver.id }))
    .form({ receiver_id: receiver.id })
    .withCsrfToken()
    .loginAs(sender)
    .redirects(0)
}

test.group('Web / the friend button on a profile', (group) => {
  isolateDatabase(group)

  test('its label follows the relationship', async ({ client, route, assert }) => {
    const [me, stranger, asked, asker, friend] = await UserFactory.createMany(5)
    const sent = await requestBetween(me, asked)
    const received = await requestBetween(asker, me)
    await befriend(me, friend)

    const page = async (user: User) => {
      const response = await client.get(route('users.show', { id: user.id })).loginAs(me)
      response.assertStatus(200)
      return response.text()
    }
    const none = await page(stranger)
    assert.include(none, '>Add friend</button>')
    assert.include(none, `name="receiver_id" value="${stranger.id}"`)
    assert.match(none, /name=['"]_csrf['"]/)

    const pending = await page(asked)
    assert.include(pending, 'Request sent')
    assert.include(pending, `/friend-requests/${sent.id}?_method=DELETE`)

    const answer = await page(asker)
    assert.include(answer, `/friend-requests/${received.id}/accept`)
    assert.include(answer, `/friend-requests/${received.id}/decline`)

    const friends = await page(friend)
    assert.include(friends, '>Friends</span>')
    // Unfriend asks first, on a page of its own.
    assert.include(friends, `href="/friends/${friend.id}/unfriend"`)

    const own = await page(me)
    assert.notInclude(own, 'friend-button')
  })

  test('visitors without cookies get the cached page, with no button', async ({
    client,
    route,
    assert,
  }) => {
    const user = await UserFactory.create()
    void client
    for (let i = 0; i < 2; i++) {
      const response = await rawRequest(route('users.show', { id: user.id }), {})
      assert.equal(response.status, 200)
      assert.notInclude(await response.text(), 'friend-button')
    }
  })
})

test.group('Web / friend forms', (group) => {
  isolateDatabase(group)

  test('Add friend, Cancel, Accept, Decline and Unfriend redirect back with a notice', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    const back = route('users.show', { id: bob.id })

    const add = await addFriendByForm(client, ada, bob)
    add.assertStatus(302)
    add.assertHeader('location', back)
    add.assertFlashMessage('success', 'Friend request sent')
    const request = await FriendRequest.findByOrFail('senderId', ada.id)

    const cancel = await client
      .delete(route('friend_requests.destroy', { id: request.id }))
      .header('referer', back)
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    cancel.assertStatus(302)
    assert.isNull(await FriendRequest.find(request.id))

    const fromCy = await requestBetween(cy, ada)
    const fromBob = await requestBetween(bob, ada)
    const accept = await client
      .post(route('friend_requests.accept', { id: fromBob.id }))
      .header('referer', route('friends'))
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    accept.assertStatus(302)
    accept.assertFlashMessage('success', 'You are now friends')
    const decline = await client
      .post(route('friend_requests.decline', { id: fromCy.id }))
      .header('referer', route('friends'))
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    decline.assertStatus(302)
    await fromCy.refresh()
    assert.equal(fromCy.status, 'declined')

    const unfriend = await client
      .delete(route('friends.destroy', { user_id: bob.id }))
      .header('referer', back)
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    unfriend.assertStatus(302)
    unfriend.assertFlashMessage('success', 'You are no longer friends')
    assert.isNull(await db.from('friendships').where('user_id', ada.id).first())
  })

  test('Accept on a request that expired meanwhile goes back with what happened', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const request = await requestBetween(bob, ada)
    await request.delete() // friends:expire removes expired requests
    const accept = await client
      .post(route('friend_requests.accept', { id: request.id }))
      .header('referer', '/notifications')
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    accept.assertStatus(302)
    accept.assertHeader('location', '/notifications')
    assert.equal(
      (accept.flashMessages().errorsBag as Record<string, string>).E_FORM_REFUSED,
      'This friend request is no longer there: it was cancelled or it expired'
    )
    const api = await client
      .post(route('api.friend_requests.accept', { id: request.id }))
      .withGuard('api')
      .loginAs(ada)
    api.assertStatus(404)
    api.assertBodyContains({ errors: [{ rule: 'gone' }] })
  })

  test('Add friend from search results goes back to the same results', async ({
    client,
    route,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const results = `${route('people')}?q=${bob.username}`
    const add = await client
      .post(route('friend_requests.store'))
      .header('referer', results)
      .form({ receiver_id: bob.id })
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    add.assertStatus(302)
    add.assertHeader('location', results)
  })

  test('a refused request flashes the reason beside the button', async ({ client, assert }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    await befriend(ada, bob)
    const response = await addFriendByForm(client, ada, bob)
    response.assertStatus(302)
    response.assertHasValidationError('receiver_id')
    assert.lengthOf(await FriendRequest.all(), 0)
  })

  test('forms without a CSRF token are refused; guests go to sign in; 403 for a stranger', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    const noToken = await client
      .post(route('friend_requests.store'))
      .form({ receiver_id: bob.id })
      .loginAs(ada)
      .redirects(0)
    assert.notEqual(noToken.status(), 200)
    assert.equal((await FriendRequest.query()).length, 0)

    // An expired form goes back to the page it was on, its query string kept, and says so.
    const results = `${route('people')}?q=${bob.username}`
    const expired = await client
      .post(route('friend_requests.store'))
      .header('referer', results)
      .form({ receiver_id: bob.id })
      .loginAs(ada)
      .redirects(0)
    expired.assertStatus(302)
    expired.assertHeader('location', results)
    expired.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })

    const guest = await client
      .post(route('friend_requests.store'))
      .form({ receiver_id: bob.id })
      .withCsrfToken()
      .redirects(0)
    guest.assertStatus(302)
    guest.assertHeader('location', route('login'))

    const request = await requestBetween(ada, bob)
    const stranger = await client
      .post(route('friend_requests.accept', { id: request.id }))
      .withCsrfToken()
      .loginAs(cy)
      .redirects(0)
    stranger.assertStatus(403)
    assert.include(stranger.text(), '<html')
  })
})

test.group('Web / the friends page and finding people', (group) => {
  isolateDatabase(group)

  test('/friends lists incoming, outgoing and friends, each with More', async ({
    client,
    route,
    assert,
  }) => {
    const [me, ...others] = await UserFactory.createMany(7)
    await requestBetween(others[0], me)
    await requestBetween(me, others[1])
    for (const friend of others.slice(2)) await befriend(me, friend)

    const response = await client.get(route('friends')).loginAs(me)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Friend requests for you')
    assert.include(html, `@${others[0].username}`)
    assert.include(html, 'Requests you sent')
    assert.include(html, `@${others[1].username}`)
    for (const friend of others.slice(2)) assert.include(html, `@${friend.username}`)

    const paged = await client.get(route('friends')).qs({ list: 'friends', limit: 2 }).loginAs(me)
    const more = /href="(\/friends\?list=friends&amp;before=\d+&amp;limit=2)"/.exec(paged.text())
    assert.isNotNull(more)
    assert.notInclude(paged.text(), 'Friend requests for you')
    const next = await client.get(more![1].replaceAll('&amp;', '&')).loginAs(me)
    next.assertStatus(200)
    assert.include(next.text(), `@${others[3].username}`)

    const guest = await client.get(route('friends')).redirects(0)
    guest.assertStatus(302)
    const bad = await client.get(route('friends')).qs({ list: 'nope' }).loginAs(me).redirects(0)
    assert.notEqual(bad.status(), 500)
  })

  test('/people finds by prefix with a friend button; the header has the search box', async ({
    client,
    route,
    assert,
  }) => {
    const me = await UserFactory.create()
    const zoe = await UserFactory.merge({ firstName: 'Zoë', lastName: 'Ångström' }).create()
    const response = await client.get(route('people')).qs({ q: 'zoe' }).loginAs(me)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, `@${zoe.username}`)
    assert.include(html, `name="receiver_id" value="${zoe.id}"`)
    assert.include(html, 'id="nav-search-q"')

    const anonymous = await client.get(route('people')).qs({ q: 'angs' })
    anonymous.assertStatus(200)
    assert.include(anonymous.text(), `@${zoe.username}`)
    assert.notInclude(anonymous.text(), 'receiver_id')

    const home = await client.get(route('home'))
    assert.include(home.text(), 'action="/people"')
  })

  test('/people with a search too long says so beside the box, and keeps it', async ({
    client,
    route,
    assert,
  }) => {
    const q = 'a'.repeat(150)
    const response = await client.get(route('people')).qs({ q }).redirects(0)
    response.assertStatus(422)
    const html = response.text()
    assert.match(html, /<p class="field-error" id="people-q-error">[^<]*100 characters/)
    assert.include(html, `value="${q}"`)
    assert.include(html, 'aria-describedby="people-q-error"')
    assert.notInclude(html, 'could not be saved')
  })

  test('/people with a search that is not text (?q[a]=1) says so, with an empty box', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/people?q[a]=1').redirects(0)
    response.assertStatus(422)
    assert.notInclude(response.text(), 'object Object')
    assert.include(response.text(), '<title>People')
  })

  test('/people with only "@" or punctuation lists the newest members under their heading', async ({
    client,
    route,
    assert,
  }) => {
    const people = await UserFactory.createMany(2)
    for (const q of ['@', ' ... ', '', '@-']) {
      const response = await client.get(route('people')).qs({ q })
      response.assertStatus(200)
      assert.include(response.text(), 'Newest members', `q=${q}`)
      for (const person of people) assert.include(response.text(), `@${person.username}`)
    }
    const search = await client.get(route('people')).qs({ q: `@${people[0].username}` })
    assert.notInclude(search.text(), 'Newest members')
    assert.include(search.text(), `@${people[0].username}`)
  })
})
