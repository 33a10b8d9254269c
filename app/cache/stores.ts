import { LocalStore } from '#cache/local_store'
import type { PostData } from '#models/post'
import type { PublicUserData } from '#presenters/user_presenter'
import type { UnreadState } from '#services/notifications/notification_stream'

/** An `auth_access_tokens` row as the tokens provider reads it. */
export type AccessTokenRow = Readonly<Record<string, any> & { id: number; tokenable_id: number }>
/**
 * A signed-in user's model as Lucid read it, once: its attributes (scalars,
 * its dates as Dates) and extras, from which each request gets a fresh
 * model without consuming the row again (SignedInUsers.user).
 */
export interface KeptUser {
  attributes: Readonly<Record<string, unknown>>
  /** The attributes that were DateTimes, kept as Dates. */
  dates: readonly string[]
  extras: Readonly<Record<string, unknown>>
}

/**
 * Who a user is friends with (sorted ids, and the print of those
 * friendships with their dates that the home feed's timeline is checked
 * against), their pending requests (by the other user's id) and who blocked
 * them or was blocked by them (sorted ids): enough to tell how they stand
 * with anyone, and what they may see.
 */
export interface RelationsSnapshot {
  friends: Int32Array
  friendsPrint: string
  pending: Map<number, { id: number; sent: boolean }>
  blocked: Int32Array
}

/**
 * A post's HTML that every viewer sees alike, with the values it shows
 * (`shown`) and until when its relative time reads the same (`until`, ms):
 * an entry serves only a read of the same values before then, so a change
 * to what it shows can never be served from it. With the addresses of the
 * post's forms and links, which follow from its id.
 */
export interface PostFragment {
  shown: readonly unknown[]
  until: number
  html: string
  links: { like: string; unlike: string; comments: string; delete: string }
}

/** A user's friends' ids and the change of their friend set they were read at. */
export interface FriendList {
  ids: Int32Array
  /** users.friends_version as text (a 64-bit value), '0' before any change. */
  version: string
}

export interface PublicPage {
  /** The page as sent: bytes outside V8's heap, written as they are. */
  html: Buffer
  /** The security headers shield set on the rendered page (CSP, frame denial, nosniff, HSTS). */
  headers: Record<string, string>
}

const MB = 1024 * 1024
const MINUTE = 60_000
/** Bytes of a value as JSON: near enough for the rows and data kept here. */
const jsonBytes = (value: unknown) => JSON.stringify(value).length

/**
 * Every in-process cache of the app, each declared once: what it holds, its
 * bound in bytes and how long an entry lives. Together they stay under
 * 52 MB of a web process, whose heap is capped at 256 MB (Dockerfile); the
 * friend lists (4 MB) fill in the worker, which fans posts out.
 * CacheInvalidation (app/cache/invalidation.ts) is the only code that drops
 * entries, on every replica at once; the TTLs bound what a lost message
 * could cost. Registered in the container
 * (providers/app_cache_provider.ts): tests swap or build their own.
 */
export class CacheStores {
  /** Bearer token rows by token id, tagged by their user. */
  tokens = new LocalStore<number, { row: AccessTokenRow; touchedAt: number }>({
    name: 'tokens',
    maxBytes: 8 * MB,
    ttlMs: MINUTE,
    sizeOf: ({ row }) => jsonBytes(row) + 64,
    tagOf: ({ row }) => row.tokenable_id,
  })

  /** A signed-in user's model, as read once, by user id. */
  signedInUsers = new LocalStore<number, KeptUser>({
    name: 'signed-in users',
    maxBytes: 8 * MB,
    ttlMs: MINUTE,
    sizeOf: (kept) => jsonBytes(kept),
  })

  /**
   * How a user stands with everyone (friends, pending requests, blocks
   * either way) by user id: every per-viewer visibility answer reads it.
   */
  relations = new LocalStore<number, RelationsSnapshot>({
    name: 'relations',
    maxBytes: 8 * MB,
    ttlMs: MINUTE,
    sizeOf: ({ friends, pending, blocked, friendsPrint }) =>
      friends.byteLength + blocked.byteLength + pending.size * 64 + friendsPrint.length + 64,
  })

  /**
   * The ids of the posts each signed-in user likes (sorted), by user id:
   * the `liked` of every post list they read, without a query per page.
   */
  likedPosts = new LocalStore<number, Int32Array>({
    name: 'liked posts',
    maxBytes: 4 * MB,
    ttlMs: MINUTE,
    sizeOf: (ids) => ids.byteLength + 64,
  })

  /**
   * What anyone may see of a user (never the email), by user id. With reads
   * spread like real traffic over 100,000 users, most misses are a user's
   * first read, not an eviction: 16 MB hit as often as 28 did, and 4 MB
   * nearly as often as 16 (BENCHMARKS.md, log 46 and 54); the heap it gave
   * back pays for V8's young generation at 16 MB semi-spaces (Dockerfile).
   */
  publicUsers = new LocalStore<number, PublicUserData>({
    name: 'public user data',
    maxBytes: 4 * MB,
    // Ten minutes, as bentocache kept it before this store: every change drops
    // it everywhere, and a one-minute life halved the anonymous read's hit rate.
    ttlMs: 10 * MINUTE,
    sizeOf: (data) => jsonBytes(data),
  })

  /**
   * The rendered profile page for visitors without a cookie, with the
   * public data it shows (a page is stale once that data object is not the
   * one publicUsers holds). Small: a miss renders its posts from
   * postFragments, and memory given to pages was taken from every read.
   */
  pages = new LocalStore<number, PublicPage & { data: PublicUserData }>({
    name: 'public pages',
    maxBytes: 8 * MB,
    ttlMs: 10 * MINUTE,
    sizeOf: ({ html }) => html.byteLength + 512,
  })

  /** The first page of a user's posts, by author id. */
  latestPosts = new LocalStore<number, PostData[]>({
    name: 'latest posts',
    maxBytes: 4 * MB,
    ttlMs: MINUTE,
    sizeOf: (posts) => jsonBytes(posts),
  })

  /**
   * Each post's shared HTML (author, time, audience, text, picture) by post
   * id: checked against what it shows on every read (app/presenters/post_fragments.ts),
   * so it needs no invalidation; a change renders it again.
   */
  postFragments = new LocalStore<number, PostFragment>({
    name: 'post fragments',
    maxBytes: 2 * MB,
    ttlMs: 10 * MINUTE,
    sizeOf: ({ shown, html }) => jsonBytes(shown) + html.length + 256,
  })

  /** The newest public posts, as the home page shows visitors (one entry, key 0). */
  recentPublicPosts = new LocalStore<0, PostData[]>({
    name: 'recent public posts',
    maxBytes: 1 * MB,
    ttlMs: MINUTE,
    sizeOf: (posts) => jsonBytes(posts),
  })

  /**
   * The unread count each signed-in page shows in its header, with the seq
   * read before it (app/services/notifications/notification_stream.ts), by
   * user id: dropped on every replica when the user's notifications change
   * (CacheInvalidation.unread, sent with each live update). Rows that go
   * with a deleted post or account publish nothing: the minute bounds them.
   */
  unreadCounts = new LocalStore<number, UnreadState>({
    name: 'unread counts',
    maxBytes: MB / 2,
    ttlMs: MINUTE,
    sizeOf: () => 64,
  })

  /**
   * Each post author's friends' ids with the change of their friend set
   * they were read at (users.friends_version), by user id: the fan-out's
   * (app/services/friends/friend_lists.ts). Every use checks the change
   * first, so it hears no bus and is kept even by processes off it.
   */
  friendLists = new LocalStore<number, FriendList>({
    name: 'friend lists',
    maxBytes: 4 * MB,
    ttlMs: 60 * MINUTE,
    sizeOf: ({ ids, version }) => ids.byteLength + version.length + 64,
    checkedOnUse: true,
  })

  /** Sessions whose expiry this process renewed within the last minute. */
  renewedSessions = new LocalStore<string, true>({
    name: 'renewed sessions',
    maxBytes: 4 * MB,
    ttlMs: MINUTE,
    sizeOf: (_, id) => id.length + 64,
  })

  /**
   * `keep: false` for a process off the invalidation bus: the same API,
   * nothing kept but what every use checks.
   */
  constructor({ keep = true }: { keep?: boolean } = {}) {
    for (const store of this.all()) store.keep = keep || store.checkedOnUse
  }

  /** Every store, for clearAll and the hit rates `npm run bench` reports. */
  all() {
    return [
      this.tokens,
      this.signedInUsers,
      this.relations,
      this.likedPosts,
      this.publicUsers,
      this.pages,
      this.latestPosts,
      this.recentPublicPosts,
      this.postFragments,
      this.unreadCounts,
      this.friendLists,
      this.renewedSessions,
    ]
  }

  stats() {
    return Object.fromEntries(this.all().map((store) => [store.name, store.stats()]))
  }
}
