/*
|--------------------------------------------------------------------------
| Domain events → listeners
|--------------------------------------------------------------------------
|
| Use cases emit after commit (app/events/domain_events.ts lists the
| events); listeners queue jobs, drop caches and notify. Listeners are
| imported lazily so that the worker and the commands load only what they
| react to (a web process builds them all once at start:
| providers/shared_instances_provider.ts), and a
| listener's failure is logged, never thrown (app/events/listen.ts).
|
*/
import { listen } from '#events/listen'
import '#events/domain_events'

const UserListener = () => import('#listeners/user_listener')
const OutboxListener = () => import('#listeners/outbox_listener')

listen('user.registered', UserListener, 'forgetCachedData')
listen('user.updated', UserListener, 'forgetCachedData')
listen('account.deleted', UserListener, 'forgetCachedData')
listen('email.recorded', OutboxListener, 'queueEmail')

const RelationsListener = () => import('#listeners/relations_listener')

listen('friend_request.sent', RelationsListener, 'requestChanged')
listen('friend_request.accepted', RelationsListener, 'requestChanged')
listen('friend_request.declined', RelationsListener, 'requestChanged')
listen('friend_request.cancelled', RelationsListener, 'requestChanged')
listen('friendship.ended', RelationsListener, 'friendshipEnded')
listen('block.changed', RelationsListener, 'blockChanged')

const AccountListener = () => import('#listeners/account_listener')

listen('account.deleted', AccountListener, 'deleteFiles')

const NotificationListener = () => import('#listeners/notification_listener')

listen('friend_request.sent', NotificationListener, 'friendRequestSent')
listen('friend_request.accepted', NotificationListener, 'friendRequestAccepted')
listen('post.liked', NotificationListener, 'postLiked')
listen('comment.created', NotificationListener, 'commentCreated')
listen('post.created', NotificationListener, 'postMentions')
listen('post.updated', NotificationListener, 'postMentions')
listen('comment.created', NotificationListener, 'commentMentions')

const FeedListener = () => import('#listeners/feed_listener')
const PostListener = () => import('#listeners/post_listener')

listen('post.created', FeedListener, 'addToOwnTimeline')
listen('post.created', FeedListener, 'queueFanOut')
listen('post.deleted', FeedListener, 'removeFromOwnTimeline')
listen('post.deleted', FeedListener, 'queueWithdrawal')
listen('friend_request.accepted', FeedListener, 'friendRequestAccepted')
listen('friendship.ended', FeedListener, 'friendshipEnded')
listen('post.created', PostListener, 'authorPageChanged')
listen('post.updated', PostListener, 'postChanged')
listen('post.deleted', PostListener, 'postChanged')
// Its likes and comments counts.
listen('post.liked', PostListener, 'postChanged')
listen('post.unliked', PostListener, 'postChanged')
listen('post.liked', PostListener, 'likesChanged')
listen('post.unliked', PostListener, 'likesChanged')
listen('comment.created', PostListener, 'postChanged')
listen('comment.deleted', PostListener, 'postChanged')
