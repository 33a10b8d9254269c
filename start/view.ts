/*
| Helpers for Edge templates. Pages receive plain data (the same user data
| the API serializes), so dates arrive as ISO strings.
*/
import edge, { edgeGlobals } from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { listComponentsOnce } from '#helpers/edge'

// In development each render still sees new components.
if (app.inProduction) listComponentsOnce(edge)

// Date.parse reads the API's ISO strings a few times faster than Luxon's
// fromISO, which a page of posts calls for each post.
edge.global('formatDate', (iso: string, format: string) =>
  DateTime.fromMillis(Date.parse(iso), { zone: 'utc' }).toFormat(format)
)

const DEFAULT_AVATAR = '/static/images/default-avatar.svg'
const { escape, safe } = edgeGlobals.html

/**
 * A round picture (`src` falls back to the default avatar); width and height
 * reserve its box before it loads, and it is never lazy: it is always near
 * the top. A function rather than a component: a component call copies the
 * page's whole state, and a page of posts shows one picture per post.
 */
edge.global(
  'avatar',
  ({ src, alt, size = 96 }: { src?: string | null; alt?: string; size?: number }) =>
    safe(
      `<img class="avatar" src="${escape(src || DEFAULT_AVATAR)}" alt="${escape(alt ?? '')}" width="${Number(size)}" height="${Number(size)}" decoding="async">`
    )
)
