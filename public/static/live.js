// The page's one live stream: @adonisjs/transmit-client (a copy of the npm
// package's build, served from our own origin), shared by every script that
// listens (the badge, notifications.js; the feed, feed.js), so a tab holds one
// stream whatever it listens to. The server lets a user's session subscribe
// only to that user's own channels.
import { Transmit } from './vendor/transmit-client.js'

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? ''
const withCsrf = (request) => request.headers.set('X-CSRF-TOKEN', csrfToken)
const whenSubscribed = new Map()
let transmit = null

// A random UUID that also works on plain-HTTP origins (crypto.randomUUID
// needs a secure context).
function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Subscribes to `channel` on the stream of user `userId` (opened on first
 * use). `onSubscribed` runs each time the subscription is made, again after
 * a reconnection: the moment to catch up with what was missed.
 */
export function listen(userId, channel, { onMessage, onSubscribed }) {
  transmit ??= new Transmit({
    baseUrl: window.location.origin,
    // The server accepts a stream id only from the session of the user it names.
    uidGenerator: () => `u${userId}-${uuid()}`,
    beforeSubscribe: withCsrf,
    beforeUnsubscribe: withCsrf,
    onSubscription: (subscribed) => whenSubscribed.get(subscribed)?.(),
    maxReconnectAttempts: 20,
  })
  if (onSubscribed) whenSubscribed.set(channel, onSubscribed)
  const subscription = transmit.subscription(channel)
  subscription.onMessage(onMessage)
  void subscription.create()
  return transmit
}
