/*
|--------------------------------------------------------------------------
| Domain events → listeners
|--------------------------------------------------------------------------
|
| Use cases emit after commit (app/events/domain_events.ts lists the
| events); listeners queue jobs, drop caches and notify. Listeners are
| imported lazily so that a process loads only what it reacts to.
|
*/
import emitter from '@adonisjs/core/services/emitter'
import '#events/domain_events'

const UserListener = () => import('#listeners/user_listener')
const OutboxListener = () => import('#listeners/outbox_listener')

emitter.on('user.registered', [UserListener, 'forgetCachedData'])
emitter.on('user.updated', [UserListener, 'forgetCachedData'])
emitter.on('account.deleted', [UserListener, 'forgetCachedData'])
emitter.on('email.recorded', [OutboxListener, 'queueEmail'])

const RelationsListener = () => import('#listeners/relations_listener')

emitter.on('friend_request.sent', [RelationsListener, 'requestChanged'])
emitter.on('friend_request.accepted', [RelationsListener, 'requestChanged'])
emitter.on('friend_request.declined', [RelationsListener, 'requestChanged'])
emitter.on('friend_request.cancelled', [RelationsListener, 'requestChanged'])
emitter.on('friendship.ended', [RelationsListener, 'friendshipEnded'])

const AccountListener = () => import('#listeners/account_listener')

emitter.on('account.deleted', [AccountListener, 'deleteFiles'])

const NotificationListener = () => import('#listeners/notification_listener')

emitter.on('friend_request.sent', [NotificationListener, 'friendRequestSent'])
emitter.on('friend_request.accepted', [NotificationListener, 'friendRequestAccepted'])

const FeedListener = () => import('#listeners/feed_listener')
const PostListener = () => import('#listeners/post_listener')

emitter.on('post.created', [FeedListener, 'postCreated'])
emitter.on('post.deleted', [FeedListener, 'postDeleted'])
emitter.on('friend_request.accepted', [FeedListener, 'friendRequestAccepted'])
emitter.on('friendship.ended', [FeedListener, 'friendshipEnded'])
for (const event of ['post.created', 'post.updated', 'post.deleted'] as const) {
  emitter.on(event, [PostListener, 'authorPageChanged'])
}
