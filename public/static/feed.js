// "N new posts" on an open feed: the viewer's own feed channel (live.js)
// announces each post put in their timeline; the link reloads the feed's
// first page. Without this file the feed is the same, without the notice.
import { listen } from './live.js'

const notice = document.querySelector('[data-new-posts]')

if (notice && 'EventSource' in window) {
  const userId = notice.dataset.userId
  // Posts up to the newest one shown are on the page already (this tab's own, too).
  const newest = Number(notice.dataset.newest) || 0
  const fresh = new Set()
  const link = notice.querySelector('a')

  listen(userId, `feed/${userId}`, {
    onMessage: ({ post_ids: postIds }) => {
      for (const id of postIds) if (id > newest) fresh.add(id)
      if (!fresh.size) return
      link.textContent = fresh.size === 1 ? '1 new post' : `${fresh.size} new posts`
      notice.hidden = false
    },
    onSubscribed: () => (notice.dataset.subscribed = 'true'),
  })
}
