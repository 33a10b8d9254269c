import { test } from '@japa/runner'
import { Bouncer } from '@adonisjs/bouncer'
import User from '#models/user'
import FriendRequestPolicy from '#policies/friend_request_policy'

/** Users need no rows here: the policy compares ids. */
const user = (id: number) => Object.assign(new User(), { id })
const request = { senderId: 1, receiverId: 2 }
const [sender, receiver, stranger] = [user(1), user(2), user(3)]

test.group('FriendRequestPolicy', () => {
  test('only the receiver accepts or declines', async ({ assert }) => {
    for (const action of ['accept', 'decline'] as const) {
      assert.isTrue(await new Bouncer(receiver).with(FriendRequestPolicy).allows(action, request))
      assert.isFalse(await new Bouncer(sender).with(FriendRequestPolicy).allows(action, request))
      assert.isFalse(await new Bouncer(stranger).with(FriendRequestPolicy).allows(action, request))
    }
  })

  test('only the sender cancels', async ({ assert }) => {
    assert.isTrue(await new Bouncer(sender).with(FriendRequestPolicy).allows('cancel', request))
    assert.isFalse(await new Bouncer(receiver).with(FriendRequestPolicy).allows('cancel', request))
    assert.isFalse(await new Bouncer(stranger).with(FriendRequestPolicy).allows('cancel', request))
  })

  test('a guest may do nothing', async ({ assert }) => {
    const guest = new Bouncer<User>(null)
    for (const action of ['accept', 'decline', 'cancel'] as const) {
      assert.isFalse(await guest.with(FriendRequestPolicy).allows(action, request))
    }
  })
})
