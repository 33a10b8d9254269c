import type { ApplicationService } from '@adonisjs/core/types'
import BodyParserMiddleware from '@adonisjs/core/bodyparser_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import AuthMiddleware from '#middleware/auth_middleware'
import ContainerBindingsMiddleware from '#middleware/container_bindings_middleware'
import ForceJsonResponseMiddleware from '#middleware/force_json_response_middleware'
import GuestMiddleware from '#middleware/guest_middleware'
import InitializeAuthMiddleware from '#middleware/initialize_auth_middleware'
import InitializeBouncerMiddleware from '#middleware/initialize_bouncer_middleware'
import NoStoreWhenSignedInMiddleware from '#middleware/no_store_when_signed_in_middleware'
import NotificationBadgeMiddleware from '#middleware/notification_badge_middleware'
import PublicPageCacheMiddleware from '#middleware/public_page_cache_middleware'
import ReadRoutingMiddleware from '#middleware/read_routing_middleware'
import ReadonlySessionMiddleware from '#middleware/readonly_session_middleware'
import SecurityHeadersMiddleware from '#middleware/security_headers_middleware'
import SilentAuthMiddleware from '#middleware/silent_auth_middleware'
import StaticAssetsMiddleware from '#middleware/static_assets_middleware'
import TransmitAccessMiddleware from '#middleware/transmit_access_middleware'
import UploadsMiddleware from '#middleware/uploads_middleware'
import VerifiedEmailMiddleware from '#middleware/verified_email_middleware'
import FeedListener from '#listeners/feed_listener'
import NotificationListener from '#listeners/notification_listener'
import PostListener from '#listeners/post_listener'
import RelationsListener from '#listeners/relations_listener'
import UserListener from '#listeners/user_listener'
import { PostFragments } from '#presenters/post_fragments'
import { CommentService } from '#services/comments/comment_service'
import { FriendshipsService } from '#services/friends/friendships_service'
import { LikeService } from '#services/likes/like_service'
import { NotificationStream } from '#services/notifications/notification_stream'
import { HomeFeed } from '#services/posts/home_feed'
import { PostAccess } from '#services/posts/post_access'
import { Visibility } from '#services/safety/visibility'

/**
 * Classes that keep nothing of a request, and that every page, feed read,
 * like or comment asks the container for: the web stack's middleware, the
 * services who may see what and the listeners of the events writes emit.
 * Left to the container, each request built them all again (a signed-in
 * profile page: 34 lookups, most of them constructing a class and its
 * dependencies, and shield parsing its CSP directives anew; a like built
 * its service and three listeners with theirs).
 */
export const SHARED = [
  // Services before what depends on them: a class built before its
  // dependency is kept would hold a second instance of it.
  Visibility,
  FriendshipsService,
  HomeFeed,
  NotificationStream,
  PostAccess,
  PostFragments,
  CommentService,
  LikeService,
  FeedListener,
  NotificationListener,
  PostListener,
  RelationsListener,
  UserListener,
  BodyParserMiddleware,
  ShieldMiddleware,
  AuthMiddleware,
  ContainerBindingsMiddleware,
  ForceJsonResponseMiddleware,
  GuestMiddleware,
  InitializeAuthMiddleware,
  InitializeBouncerMiddleware,
  NoStoreWhenSignedInMiddleware,
  NotificationBadgeMiddleware,
  PublicPageCacheMiddleware,
  ReadRoutingMiddleware,
  ReadonlySessionMiddleware,
  SecurityHeadersMiddleware,
  SilentAuthMiddleware,
  StaticAssetsMiddleware,
  TransmitAccessMiddleware,
  UploadsMiddleware,
  VerifiedEmailMiddleware,
]

/**
 * One instance of each per web process (adonisrc.ts: the worker and the
 * commands load listeners lazily, and only those they need), built when the
 * app starts: after every provider has booted and the services' modules
 * (`@adonisjs/redis/services/main` and the like) hold their values, which
 * a class built during boot would capture as undefined.
 * A test's `container.swap` still takes precedence over a kept instance,
 * but not inside another kept one: classes whose dependencies tests swap
 * (the post service's picture storage, the sign-in) stay built per use.
 */
export default class SharedInstancesProvider {
  constructor(protected app: ApplicationService) {}

  async start() {
    const { container } = this.app
    for (const Shared of SHARED) {
      container.bindValue(Shared, await container.make(Shared as never))
    }
  }
}
