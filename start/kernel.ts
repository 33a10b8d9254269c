/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
|
| Server middleware runs on every request, routed or not; router middleware
| runs on matched routes only. Session, shield and CSRF belong to the web
| pages alone: start/routes.ts attaches them to the web group, so the JSON
| API and the health checks never pay for a cookie they do not read.
|
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'
import type { UploadsOptions } from '#middleware/uploads_middleware'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/read_routing_middleware'),
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/static_assets_middleware'),
])

router.use([() => import('@adonisjs/core/bodyparser_middleware')])

export const middleware = router.named({
  session: () => import('@adonisjs/session/session_middleware'),
  readonlySession: () => import('#middleware/readonly_session_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  initializeAuth: () => import('#middleware/initialize_auth_middleware'),
  noStoreWhenSignedIn: () => import('#middleware/no_store_when_signed_in_middleware'),
  initializeBouncer: () => import('#middleware/initialize_bouncer_middleware'),
  silentAuth: () => import('#middleware/silent_auth_middleware'),
  publicPageCache: () => import('#middleware/public_page_cache_middleware'),
  forceJson: () => import('#middleware/force_json_response_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  verified: () => import('#middleware/verified_email_middleware'),
  uploads: () => import('#middleware/uploads_middleware'),
  notificationBadge: () => import('#middleware/notification_badge_middleware'),
  transmitAccess: () => import('#middleware/transmit_access_middleware'),
})

/** What every HTML page runs, in order. */
export const webMiddleware = () => [
  middleware.session(),
  middleware.shield(),
  middleware.initializeAuth(),
  middleware.noStoreWhenSignedIn(),
  middleware.silentAuth(),
  middleware.initializeBouncer(),
  middleware.notificationBadge(),
]

/**
 * What a page's script calls beside the page (the badge's catch-up): the
 * session, read only, says who is asking; no CSRF secret to mint, no
 * bouncer, no badge.
 */
export const scriptMiddleware = () => [
  middleware.readonlySession(),
  middleware.initializeAuth(),
  middleware.silentAuth(),
]

/**
 * transmit's routes: the same for a stream of the user's own; subscribing
 * and unsubscribing are posts, check the page's CSRF token, and name one
 * of the user's own channels.
 */
export const streamMiddleware = ({ subscribing }: { subscribing: boolean }) => [
  ...scriptMiddleware(),
  ...(subscribing ? [middleware.shield()] : []),
  middleware.transmitAccess({ channel: subscribing }),
]

/**
 * An HTML form that uploads files: the user is authenticated before the
 * files are read (uploads), and CSRF, whose token is in that body, is
 * checked after; otherwise the same stack as every page.
 */
export const webUploadMiddleware = (options: UploadsOptions) => [
  middleware.session(),
  middleware.initializeAuth(),
  middleware.noStoreWhenSignedIn(),
  middleware.auth(),
  middleware.uploads(options),
  middleware.shield(),
  middleware.initializeBouncer(),
]

/**
 * What every JSON API route runs: no session, no CSRF, and no bouncer
 * (start/routes.ts adds it where a signed-in route authorizes). Each
 * middleware is a class built per request: the hot GET pays for each.
 */
export const apiMiddleware = () => [middleware.forceJson(), middleware.initializeAuth()]
