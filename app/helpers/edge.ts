import type { Edge } from 'edge.js'
import { escapeHtml } from '#helpers/text'

/**
 * Edge 6 lists the components folder on disk before every render: its
 * component-tags plugin reads the cache setting when the instance is built,
 * before the provider turns the cache on. Where templates never change
 * (production), the first listing stands: it is taken at the first render,
 * after every disk is mounted.
 */
export function listComponentsOnce(edge: Edge) {
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  let components: ReturnType<typeof listComponents> | undefined
  edge.loader.listComponents = () => (components ??= listComponents())
}

/**
 * Edge works out a template's file path (a `path.join` from its name) on
 * every render of the template, each component call included, before it
 * looks the compiled template up by that path. Where templates never
 * change, the name's path is kept (templates registered and disks mounted
 * after the first render of a name would not be seen: all are at boot).
 */
export function resolvePathsOnce(edge: Edge) {
  const makePath = edge.loader.makePath.bind(edge.loader)
  const paths = new Map<string, string>()
  edge.loader.makePath = (templatePath) => {
    let path = paths.get(templatePath)
    if (path === undefined) paths.set(templatePath, (path = makePath(templatePath)))
    return path
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
const pad = (value: number) => String(value).padStart(2, '0')

/** "6 Dec 2026, 00:53 UTC": the exact time, until the page's script puts it in the viewer's zone. */
export function exactTime(date: Date) {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
}

/**
 * How long ago, as people say it: "just now", "5 min ago", "3 h ago",
 * "yesterday" (the day before, by the calendar), then the day ("3 Dec",
 * with the year when it is not this one). The server knows no zone and
 * counts days in UTC; public/static/app.js says the same in the viewer's.
 */
export function relativeTime(date: Date, now: Date) {
  const elapsed = now.getTime() - date.getTime()
  if (elapsed < MINUTE_MS) return 'just now'
  if (elapsed < HOUR_MS) return `${Math.floor(elapsed / MINUTE_MS)} min ago`
  if (elapsed < DAY_MS) return `${Math.floor(elapsed / HOUR_MS)} h ago`
  const yesterday = new Date(now.getTime() - DAY_MS)
  if (date.toISOString().slice(0, 10) === yesterday.toISOString().slice(0, 10)) return 'yesterday'
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`
  return date.getUTCFullYear() === now.getUTCFullYear() ? day : `${day} ${date.getUTCFullYear()}`
}

/**
 * Until when (ms since the epoch) `relativeTime(date, …)` reads as it does
 * at `now`: its next whole minute of age, or the next UTC midnight if that
 * comes first (when "yesterday" turns into a day); past two days, until the
 * year changes (a day of another year shows it). What shows a relative time
 * may be kept that long (app/presenters/post_fragments.ts).
 */
export function relativeTimeUntil(date: Date, now: Date) {
  const elapsed = now.getTime() - date.getTime()
  if (elapsed >= 2 * DAY_MS) return Date.UTC(now.getUTCFullYear() + 1, 0, 1)
  const minutes = Math.max(0, Math.floor(elapsed / MINUTE_MS)) + 1
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  return Math.min(date.getTime() + minutes * MINUTE_MS, midnight)
}

/**
 * The one way pages show when something happened (the Edge global
 * `timeAgo`): `<time datetime="ISO" title="exact UTC time">5 min ago</time>`.
 * Right without JavaScript; public/static/app.js rewrites the title into
 * the viewer's zone and keeps the relative words current (a cached page
 * may be a few minutes old).
 */
export function timeTag(iso: string, now = new Date()) {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `<time datetime="${date.toISOString()}" title="${exactTime(date)}" data-relative>${relativeTime(date, now)}</time>`
}

const DEFAULT_AVATAR = '/static/images/default-avatar.svg'

/**
 * A round picture (`src` falls back to the default avatar); width and height
 * reserve its box before it loads, and it is never lazy: it is always near
 * the top. Pages call it as the Edge global `avatar`.
 */
export function avatarTag({
  src,
  alt,
  size = 96,
}: {
  src?: string | null
  alt?: string
  size?: number
}) {
  return `<img class="avatar" src="${escapeHtml(src || DEFAULT_AVATAR)}" alt="${escapeHtml(alt ?? '')}" width="${Number(size)}" height="${Number(size)}" decoding="async">`
}
