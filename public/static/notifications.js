// Live unread count (and list, on /notifications) for a signed-in page.
// Without this file the server-rendered count is still right at each load.
// The stream (live.js): one private channel per user.
import { listen } from './live.js'

const badgeLink = document.querySelector('[data-notification-badge]')

if (badgeLink && 'EventSource' in window) {
  const userId = badgeLink.dataset.userId
  const count = badgeLink.querySelector('[data-unread-count]')
  // Counts are ordered by seq: one that arrives after a newer one is stale.
  let seq = Number(badgeLink.dataset.seq) || 0

  const apply = (state) => {
    if (state.seq < seq) return
    seq = state.seq
    count.textContent = String(state.unread_count)
    count.hidden = state.unread_count === 0
    // The link's name: "Notifications", or "Notifications, 3 unread".
    badgeLink.setAttribute(
      'aria-label',
      state.unread_count ? `Notifications, ${state.unread_count} unread` : 'Notifications'
    )
  }

  // Catch up with what happened before the subscription (or while reconnecting).
  const catchUp = async () => {
    const response = await fetch('/notifications/badge', {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
    if (response.ok) apply(await response.json())
  }

  const transmit = listen(userId, `notifications/${userId}`, {
    onMessage: (message) => {
      apply(message)
      if (message.notification) showInList(message.notification)
    },
    onSubscribed: () => {
      badgeLink.dataset.subscribed = 'true'
      void catchUp()
    },
  })
  badgeLink.dataset.live = 'connecting'
  transmit.on('connected', () => (badgeLink.dataset.live = 'connected'))
  transmit.on('disconnected', () => (badgeLink.dataset.live = 'disconnected'))
}

const ABOUT_POST = {
  like: 'liked your post',
  comment: 'commented on your post',
  mention: 'mentioned you',
}

/** What follows the actor's name: about a post, a link to it (as the page writes it). */
function sentence(notification) {
  if (!notification.post_id) {
    return [
      notification.type === 'friend_request'
        ? 'sent you a friend request.'
        : 'accepted your friend request.',
    ]
  }
  const link = document.createElement('a')
  link.href = `/posts/${notification.post_id}`
  link.textContent = ABOUT_POST[notification.type]
  return [link, '.']
}

/** On /notifications: the new notification on top, replacing the one it repeats. */
function showInList(notification) {
  const list = document.querySelector('[data-notification-list]')
  if (!list) return
  const key = `${notification.type}-${notification.actor.id}-${notification.post_id ?? ''}`
  list.querySelector(`[data-key="${CSS.escape(key)}"]`)?.remove()

  const item = document.createElement('li')
  item.className = 'notification notification-unread'
  item.dataset.key = key
  const avatar = document.createElement('img')
  avatar.className = 'avatar'
  avatar.src = notification.actor.profile_picture
  avatar.alt = ''
  avatar.width = avatar.height = 40
  const text = document.createElement('p')
  const actor = document.createElement('a')
  actor.href = `/users/${notification.actor.id}`
  actor.textContent = `${notification.actor.first_name} ${notification.actor.last_name}`
  const when = document.createElement('time')
  when.dateTime = notification.created_at
  when.textContent = 'just now'
  when.dataset.relative = '' // app.js keeps the words current
  text.append(actor, ' ', ...sentence(notification), ' ', when)
  item.append(avatar, text)
  list.prepend(item)
  document.querySelector('[data-notifications-empty]')?.setAttribute('hidden', '')
  document.querySelector('[data-notifications-read]')?.removeAttribute('hidden')
}
