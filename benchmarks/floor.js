/*
| The floor: a plain node:http server with mysql2 on the app's tables, doing
| the minimum correct work per request with no framework and no cache.
|
|   GET  /api/users/:id   without a token: the profile JOIN, the app's JSON
|   GET  /api/users/:id   bearer: the token checked (one SELECT by its id, the
|                         SHA-256 of its secret compared), then the JOIN and,
|                         for someone else's profile, how the two stand (the
|                         friendship row and a pending request, both by key);
|                         the email for the owner only
|   GET  /pages/users/:id what a profile page shows, with or without a bearer
|                         token: the profile as above, and beside it the
|                         user's newest 21 posts (by `(user_id, id)`), those
|                         the viewer may see (public; all for the author
|                         and friends) with their counts, then the viewer's
|                         likes of them
|   GET  /api/feed        bearer: the token, the user's friends (one index
|                         range), then the newest 20 posts by them and the
|                         user, with each author's summary, the counts kept
|                         on the posts, and the viewer's likes of those 20
|   POST /api/posts       bearer: the token, then one INSERT
|   PUT  /api/posts/:id/like  bearer: the token, whether the viewer sees the
|                         post, one INSERT IGNORE and the count it adds
|
| TOKEN_PREFIX is the prefix of the app's tokens (the bench reads it from a
| real sign-in).
*/
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import mysql from 'mysql2'

const DEFAULT_PICTURE = '/static/images/default-avatar.svg'
const PREFIX = process.env.TOKEN_PREFIX ?? 'gs_'

const pool = mysql.createPool({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_USER ?? 'root',
  password: process.env.DB_PASSWORD ?? '',
  database: process.env.DB_DATABASE,
  connectionLimit: 10,
  timezone: 'Z',
})

const PROFILE = `SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.created_at,
       p.id AS profile_id, p.user_id, p.profile_picture, p.bio
  FROM users u JOIN profiles p ON p.user_id = u.id
 WHERE u.id = ? LIMIT 1`

const TOKEN =
  'SELECT tokenable_id, type, hash, expires_at FROM auth_access_tokens WHERE id = ? LIMIT 1'

const FRIEND_IDS = 'SELECT friend_id FROM friendships WHERE user_id = ?'

// The newest posts of the authors first, then the authors' summaries for
// those 21 rows only. Which plan reads least depends on the friend count
// (handler reads on the 100,000-user seed, 2026-12-06): for most viewers,
// each author's posts by the `(user_id, id)` index, then a sort of their
// ids (~1,800 rows; a JOIN with friendships ~3,100, a UNION ALL of
// per-friend LIMIT 21 subqueries ~2,600, newest posts first ~29,000); past
// ~500 friends, posts newest first by the primary key until 21 match (2,000+
// friends: ~6,400 rows against ~49,000).
// The counts are columns of the post (kept in the like's or comment's
// transaction); the viewer's likes of the page are one more indexed lookup.
const feedQuery = (plan) => `SELECT po.*, u.username, u.first_name, u.last_name, pr.profile_picture
  FROM (SELECT id, user_id, text, image, likes_count, comments_count, audience, created_at,
               updated_at, edited_at FROM posts ${plan}
         WHERE user_id IN (?) ORDER BY id DESC LIMIT 21) po
  JOIN users u ON u.id = po.user_id
  JOIN profiles pr ON pr.user_id = po.user_id
 ORDER BY po.id DESC`
const FEED = feedQuery('')
const MANY_FRIENDS = 500
const FEED_MANY_FRIENDS = feedQuery('FORCE INDEX (PRIMARY)')

const LIKED = 'SELECT post_id FROM likes WHERE user_id = ? AND post_id IN (?)'

const USER_POSTS = `SELECT id, text, image, likes_count, comments_count, audience, created_at,
       updated_at, edited_at FROM posts WHERE user_id = ? ORDER BY id DESC LIMIT 21`

const FRIENDS = 'SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ? LIMIT 1'
const PENDING = 'SELECT sender_id FROM friend_requests WHERE pending_pair = ? LIMIT 1'

/** "friends", "request_sent", "request_received" or "none". */
async function relation(viewerId, userId) {
  const pair = `${Math.min(viewerId, userId)}:${Math.max(viewerId, userId)}`
  const [friends, pending] = await Promise.all([
    query(FRIENDS, [viewerId, userId]),
    query(PENDING, [pair]),
  ])
  if (friends.length) return 'friends'
  if (pending.length) return pending[0].sender_id === viewerId ? 'request_sent' : 'request_received'
  return 'none'
}

const picture = (path) => (path ? `/media/${path}` : DEFAULT_PICTURE)

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
const fail = (res, status, message) => send(res, status, { errors: [{ message }] })

function query(sql, params) {
  return new Promise((resolve, reject) =>
    pool.query(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))
  )
}

/** The token's user id, or null: one SELECT by the token's id, then its hash compared. */
async function verify(req) {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith(`Bearer ${PREFIX}`)) return null
  const [identifier, secret] = header.slice(7 + PREFIX.length).split('.')
  const id = Number(Buffer.from(identifier ?? '', 'base64url').toString())
  if (!Number.isSafeInteger(id) || !secret) return null
  const [row] = await query(TOKEN, [id])
  if (!row || row.type !== 'auth_token') return null
  const hash = createHash('sha256')
    .update(Buffer.from(secret, 'base64url').toString())
    .digest('hex')
  if (hash.length !== row.hash.length || !timingSafeEqual(Buffer.from(hash), Buffer.from(row.hash)))
    return null
  if (row.expires_at && row.expires_at < new Date()) return null
  return row.tokenable_id
}

/** The profile's JSON (the email for the owner only), or null when there is no such user. */
function profileData(row, viewerId, friendship) {
  return {
    id: row.id,
    username: row.username,
    first_name: row.first_name,
    last_name: row.last_name,
    ...(viewerId === row.id ? { email: row.email } : {}),
    created_at: row.created_at.toISOString(),
    profile_data: {
      id: row.profile_id,
      owner: row.user_id,
      bio: row.bio,
      profile_picture: picture(row.profile_picture),
    },
    ...(friendship ? { friendship } : {}),
  }
}

const viewerRelation = (viewerId, userId) =>
  viewerId === null ? null : viewerId === userId ? 'self' : relation(viewerId, userId)

async function profile(res, userId, viewerId) {
  const [[row], friendship] = await Promise.all([
    query(PROFILE, [userId]),
    viewerRelation(viewerId, userId),
  ])
  if (!row) return fail(res, 404, 'Not found')
  send(res, 200, profileData(row, viewerId, friendship))
}

/** A profile page's data: the profile, and the first page of posts the viewer may see. */
async function profilePage(res, userId, viewerId) {
  const [[row], friendship, newest] = await Promise.all([
    query(PROFILE, [userId]),
    viewerRelation(viewerId, userId),
    query(USER_POSTS, [userId]),
  ])
  if (!row) return fail(res, 404, 'Not found')
  const seesAll = friendship === 'self' || friendship === 'friends'
  const page = newest.slice(0, 20).filter((post) => seesAll || post.audience === 'public')
  const liked = await likedAmong(viewerId, page)
  const author = summary(row, row.id)
  send(res, 200, {
    ...profileData(row, viewerId, friendship),
    posts: {
      data: page.map((post) => postData({ ...post, user_id: userId }, author, liked)),
      next: newest.length > 20 ? `/users/${userId}?before=${newest[19].id}` : null,
    },
  })
}

/** Which of the posts the viewer likes: one indexed lookup. */
async function likedAmong(viewerId, posts) {
  if (viewerId === null || !posts.length) return new Set()
  const rows = await query(LIKED, [viewerId, posts.map((post) => post.id)])
  return new Set(rows.map((row) => row.post_id))
}

/** An author as posts show them, from a row with the user's names and picture. */
const summary = (row, id) => ({
  id,
  username: row.username,
  first_name: row.first_name,
  last_name: row.last_name,
  profile_picture: picture(row.profile_picture),
})

/** A post as the API shows it to the viewer. */
function postData(row, author, liked) {
  return {
    id: row.id,
    author,
    text: row.text,
    image: row.image ? `/media/${row.image}` : null,
    likes_count: row.likes_count,
    comments_count: row.comments_count,
    audience: row.audience,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    edited_at: row.edited_at?.toISOString() ?? null,
    liked: liked.has(row.id),
  }
}

async function feed(res, viewerId) {
  const friends = await query(FRIEND_IDS, [viewerId])
  const rows = await query(friends.length > MANY_FRIENDS ? FEED_MANY_FRIENDS : FEED, [
    [viewerId, ...friends.map((row) => row.friend_id)],
  ])
  const page = rows.slice(0, 20)
  const liked = await likedAmong(viewerId, page)
  const data = page.map((row) => postData(row, summary(row, row.user_id), liked))
  send(res, 200, {
    data,
    next: rows.length > 20 ? `/api/feed?before=${data.at(-1).id}&limit=20` : null,
  })
}

async function createPost(req, res, viewerId) {
  let body = ''
  for await (const chunk of req) body += chunk
  const text = JSON.parse(body || '{}').text
  if (typeof text !== 'string' || !text || text.length > 500) return fail(res, 422, 'Invalid text')
  const now = new Date()
  const result = await query(
    'INSERT INTO posts (user_id, text, image, created_at, updated_at) VALUES (?, ?, NULL, ?, ?)',
    [viewerId, text, now, now]
  )
  send(res, 201, {
    id: result.insertId,
    author: { id: viewerId },
    text,
    image: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  })
}

/**
 * PUT /api/posts/:id/like: the post seen by the viewer (its audience), then
 * one INSERT IGNORE and, when it added a row, the count on the post.
 */
async function like(res, postId, viewerId) {
  const [post] = await query('SELECT user_id, audience FROM posts WHERE id = ?', [postId])
  const sees =
    post &&
    (post.audience === 'public' ||
      post.user_id === viewerId ||
      (await query(FRIENDS, [viewerId, post.user_id])).length)
  if (!sees) return fail(res, 404, 'Not found')
  // The floor tells no one: its likes are written as told (notified_at),
  // or the app's worker would write their notifications in the app's turn.
  const now = new Date()
  const added = await query(
    'INSERT IGNORE INTO likes (post_id, user_id, created_at, notified_at) VALUES (?, ?, ?, ?)',
    [postId, viewerId, now, now]
  )
  if (added.affectedRows) {
    await query('UPDATE posts SET likes_count = likes_count + 1 WHERE id = ?', [postId])
  }
  res.writeHead(204).end()
}

async function handle(req, res) {
  const publicRead = /^\/users\/(\d+)$/.exec(req.url)
  if (req.method === 'GET' && publicRead) return profile(res, Number(publicRead[1]), null)

  const page = /^\/pages\/users\/(\d+)$/.exec(req.url)
  if (req.method === 'GET' && page) {
    const viewerId = req.headers.authorization ? await verify(req) : null
    if (viewerId === null && req.headers.authorization) return fail(res, 401, 'Unauthorized access')
    return profilePage(res, Number(page[1]), viewerId)
  }

  const liking = /^\/api\/posts\/(\d+)\/like$/.exec(req.url)
  const signedIn = liking ?? /^\/api\/(users\/(\d+)|feed|posts)$/.exec(req.url)
  if (!signedIn) return fail(res, 404, 'Not found')
  // As the app: a profile may be read without a token, never with a bad one.
  if (signedIn[2] && req.method === 'GET' && !req.headers.authorization) {
    return profile(res, Number(signedIn[2]), null)
  }
  const viewerId = await verify(req)
  if (viewerId === null) return fail(res, 401, 'Unauthorized access')
  if (req.method === 'PUT' && liking) return like(res, Number(liking[1]), viewerId)
  if (req.method === 'GET' && signedIn[2]) return profile(res, Number(signedIn[2]), viewerId)
  if (req.method === 'GET' && signedIn[1] === 'feed') return feed(res, viewerId)
  if (req.method === 'POST' && signedIn[1] === 'posts') return createPost(req, res, viewerId)
  return fail(res, 404, 'Not found')
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => fail(res, 503, error.message))
})

server.keepAliveTimeout = 65_000
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  pool.end(() => process.exit(0))
})
