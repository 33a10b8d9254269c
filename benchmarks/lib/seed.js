/*
| The bench's data, shaped like a real site's: users with profiles, a friend
| graph whose degrees spread like a social network's (log-normal: median
| about 100, a few with 1,000 and more), posts written over months, and a
| few blocks.
| Everything goes in with bulk INSERTs; one argon2id hash (made with the
| app's own hashing settings) is shared by every user. A full seed is kept
| and reused by the next run when its shape is the same; the rows a run
| adds (registrations, posts, friend requests, tokens) are removed instead.
*/
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import mysql from 'mysql2/promise'

export const SEED_PASSWORD = 'bench-password-1'
const BATCH = 5000
const DAY = 86_400_000

/**
 * The app's hasher (config/hash.ts as built): one argon2id hash of
 * SEED_PASSWORD, and whether a kept hash was made with other settings.
 */
export async function seedPassword(buildDir) {
  const { default: hashConfig } = await import(pathToFileURL(join(buildDir, 'config/hash.js')).href)
  const resolved = await hashConfig.resolver()
  const hasher = resolved.list[resolved.default]()
  return { hash: await hasher.make(SEED_PASSWORD), needsReHash: (hash) => hasher.needsReHash(hash) }
}

/** A small deterministic PRNG (mulberry32), so every seed of a shape is the same. */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Log-normal draws (Box-Muller) around `median`. */
function logNormal(rand, median, sigma) {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  return Math.round(median * Math.exp(sigma * z))
}

export class Seeder {
  /**
   * shape: { users, medianFriends, fanoutFriends, medianPosts, days }.
   * `fanoutUser` (user 1) gets exactly `fanoutFriends` friends, for the
   * fan-out scenario.
   */
  constructor(connection, shape, log, buildDir) {
    this.buildDir = buildDir
    this.connection = connection
    this.shape = shape
    this.log = log
    this.fanoutUser = 1
  }

  async run(password, { reuse }) {
    const db = await mysql.createConnection({ ...this.connection, timezone: 'Z' })
    try {
      this.tables = new Set((await db.query('SHOW TABLES'))[0].map((row) => Object.values(row)[0]))
      await db.query('SET FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0')
      await db.query(
        'CREATE TABLE IF NOT EXISTS bench_seed (signature TEXT, stats TEXT, seeded_at DATETIME(3))'
      )
      // A seed is reused only for the same shape over the same tables; one
      // made before the posts table existed gets its posts added.
      const base = JSON.stringify(this.shape)
      const signature = base + (this.hasPosts ? ' with posts' : '')
      const [[previous]] = await db.query('SELECT signature, stats, seeded_at FROM bench_seed')
      if (reuse && previous?.signature === signature) {
        this.log('reusing the seeded data of the previous run; removing what that run added')
        this.stats = JSON.parse(previous.stats)
        await this.#removeAdditions(db, previous.seeded_at)
      } else if (reuse && this.hasPosts && previous?.signature === base) {
        this.log('reusing the seeded users and friendships; adding posts')
        this.stats = { ...JSON.parse(previous.stats), posts: 0 }
        await this.#removeAdditions(db, previous.seeded_at)
        await this.#truncate(db, ['posts'])
        this.stats.posts = await this.#withoutSecondaryKeys(db, 'posts', () => this.#posts(db))
        await this.#remember(db, signature)
      } else {
        this.stats = await this.#seed(db, password.hash)
        await this.#remember(db, signature)
      }
      if (this.hasPosts) await this.#audiences(db)
      if (this.hasFriends) await this.#friendSetsMarked(db)
      await this.#passwords(db, password)
      await this.#blocks(db)
      await db.query('SET FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1')
      return this.stats
    } finally {
      await db.end()
    }
  }

  /**
   * A kept seed's users share a hash made with the hashing settings of its
   * day: when config/hash.ts has changed them since (the parameters are in
   * the hash), every user gets the new one, so sign-ins cost what the app's
   * settings cost now.
   */
  async #passwords(db, password) {
    const [[kept]] = await db.query('SELECT password FROM users WHERE id = 1')
    if (!kept || !password.needsReHash(kept.password)) return
    this.log('password hashes made with earlier hashing settings: replaced by the current ones')
    await db.query('UPDATE users SET password = ?', [password.hash])
  }

  /**
   * Every user's friend set marked changed, as the app marks each friendship
   * it makes or ends (users.friends_version, which the fan-out's kept friend
   * lists check): the bulk load marks none, and the friendships a run made
   * are removed above without the app. On every run, kept seeds too.
   */
  async #friendSetsMarked(db) {
    const [columns] = await db.query("SHOW COLUMNS FROM users LIKE 'friends_version'")
    if (columns.length) await db.query('UPDATE users SET friends_version = UUID_SHORT()')
  }

  /**
   * One post in five is for friends only, as the app's audiences allow
   * (kept seeds get them too): the reads filter them per viewer.
   */
  async #audiences(db) {
    const [columns] = await db.query("SHOW COLUMNS FROM posts LIKE 'audience'")
    if (!columns.length) return
    await db.query("UPDATE posts SET audience = IF(id % 5 = 0, 'friends', 'public')")
    this.stats.friendsOnlyPosts = Math.floor(this.stats.posts / 5)
  }

  /**
   * About one user in a hundred has blocked someone, as the app allows: one
   * block each, drawn with a fixed seed, never between friends (a block ends
   * a friendship, so the graph stays as the app would leave it) and never
   * the fan-out author or its friends. Written again on every run, kept
   * seeds too (the run's own blocks go with them). `blockers` holds both
   * sides of every block: run.js keeps them out of the signed-in clients,
   * whose reads must all answer 200 and whose feeds must be the plain SQL
   * (blocks between others change neither).
   */
  async #blocks(db) {
    this.blockers = new Set()
    if (!this.tables.has('blocks')) return
    await db.query('TRUNCATE TABLE blocks')
    const { users } = this.shape
    const excluded = new Set([this.fanoutUser])
    if (this.hasFriends) {
      const [rows] = await db.query('SELECT friend_id FROM friendships WHERE user_id = ?', [
        this.fanoutUser,
      ])
      for (const row of rows) excluded.add(row.friend_id)
    }
    const rand = random(1009)
    const wanted = Math.floor(users / 100)
    const since = Date.now() - 180 * DAY
    const rows = []
    for (let attempts = 0; rows.length < wanted && attempts < 10; attempts++) {
      const drawn = []
      const taken = new Set(this.blockers)
      while (drawn.length < wanted - rows.length) {
        const blocker = 1 + Math.floor(rand() * users)
        const blocked = 1 + Math.floor(rand() * users)
        if (
          blocker === blocked ||
          [blocker, blocked].some((id) => excluded.has(id) || taken.has(id))
        )
          continue
        taken.add(blocker).add(blocked)
        drawn.push([blocker, blocked])
      }
      const friends = new Set()
      if (this.hasFriends) {
        for (let start = 0; start < drawn.length; start += BATCH) {
          const [found] = await db.query(
            'SELECT user_id, friend_id FROM friendships WHERE (user_id, friend_id) IN (?)',
            [drawn.slice(start, start + BATCH)]
          )
          for (const row of found) friends.add(`${row.user_id}:${row.friend_id}`)
        }
      }
      for (const [blocker, blocked] of drawn) {
        if (friends.has(`${blocker}:${blocked}`)) continue
        this.blockers.add(blocker).add(blocked)
        rows.push([blocker, blocked, new Date(since + Math.floor(rand() * 180 * DAY))])
      }
    }
    await this.#insert(db, 'blocks', ['blocker_id', 'blocked_id', 'created_at'], rows)
    this.stats.blocks = rows.length
  }

  /** A module of the built app (the bench runs build/). */
  #appModule(path) {
    return import(pathToFileURL(join(this.buildDir, path)).href)
  }

  async #remember(db, signature) {
    await db.query('DELETE FROM bench_seed')
    await db.query('INSERT INTO bench_seed VALUES (?, ?, ?)', [
      signature,
      JSON.stringify(this.stats),
      new Date(),
    ])
  }

  get hasFriends() {
    return this.tables.has('friendships')
  }

  get hasPosts() {
    return this.tables.has('posts')
  }

  async #truncate(db, tables) {
    for (const table of tables)
      if (this.tables.has(table)) await db.query('TRUNCATE TABLE ??', [table])
  }

  async #removeAdditions(db, seededAt) {
    const { users } = this.shape
    await this.#truncate(db, [
      'auth_access_tokens',
      'friend_requests',
      'notifications',
      'password_reset_tokens',
    ])
    for (const table of ['profiles', 'welcome_emails', 'outbox_emails']) {
      if (this.tables.has(table)) await db.query('DELETE FROM ?? WHERE user_id > ?', [table, users])
    }
    await db.query('DELETE FROM users WHERE id > ?', [users])
    if (this.hasPosts) {
      await db.query('DELETE FROM posts WHERE id > ?', [this.stats.posts])
      // A seed kept from before the seed marked its posts fanned out.
      await db.query('UPDATE posts SET fanned_out_at = created_at WHERE fanned_out_at IS NULL')
      // The likes and comments of the last run, with the counts they left.
      await this.#truncate(db, ['likes', 'comments'])
      const [counts] = await db.query("SHOW COLUMNS FROM posts LIKE 'likes_count'")
      if (counts.length) {
        await db.query(
          'UPDATE posts SET likes_count = 0, comments_count = 0 WHERE likes_count > 0 OR comments_count > 0'
        )
      }
    }
    if (this.hasFriends) await db.query('DELETE FROM friendships WHERE created_at > ?', [seededAt])
    await db.query('UPDATE profiles SET bio = CONCAT(?, user_id), profile_picture = NULL', [
      'Bio of user ',
    ])
  }

  async #seed(db, passwordHash) {
    // Every table that points at users or posts: ids start again, and a row
    // left from the last run (a like, with the foreign keys off) would
    // belong to the new post or user of the same id.
    await this.#truncate(db, [
      'auth_access_tokens',
      'account_tokens',
      'friend_requests',
      'notifications',
      'password_reset_tokens',
      'likes',
      'comments',
      'reports',
      'blocks',
      'posts',
      'friendships',
      'welcome_emails',
      'outbox_emails',
      'profiles',
      'users',
    ])
    const started = performance.now()
    await this.#users(db, passwordHash)
    const stats = { users: this.shape.users, friendships: 0, posts: 0 }
    if (this.hasFriends) {
      Object.assign(
        stats,
        await this.#withoutSecondaryKeys(db, 'friendships', () => this.#friendships(db))
      )
    }
    if (this.hasPosts)
      stats.posts = await this.#withoutSecondaryKeys(db, 'posts', () => this.#posts(db))
    stats.seconds = Math.round((performance.now() - started) / 100) / 10
    return stats
  }

  /**
   * Bulk loading into a table whose secondary keys take rows in random
   * order thrashes a small buffer pool (about 10,000 rows/s here, against
   * 75,000 without them). Its plain keys, and the foreign keys that need
   * them, are dropped for the load and built again afterwards, sorted, from
   * the table's own definition.
   */
  async #withoutSecondaryKeys(db, table, load) {
    const [[{ 'Create Table': ddl }]] = await db.query('SHOW CREATE TABLE ??', [table])
    const keys = [...ddl.matchAll(/^\s*KEY `([^`]+)` \(([^)]+)\)/gm)].map((m) => ({
      name: m[1],
      columns: m[2],
    }))
    const firstColumns = new Set(keys.map((key) => key.columns.split(',')[0]))
    const foreign = [
      ...ddl.matchAll(
        /^\s*CONSTRAINT `([^`]+)` (FOREIGN KEY \((`[^`]+`)[^)]*\) REFERENCES .*?),?$/gm
      ),
    ]
      .filter((m) => firstColumns.has(m[3]))
      .map((m) => ({ name: m[1], definition: m[2] }))
    const drops = [
      ...foreign.map((fk) => `DROP FOREIGN KEY \`${fk.name}\``),
      ...keys.map((key) => `DROP KEY \`${key.name}\``),
    ]
    if (drops.length) await db.query(`ALTER TABLE \`${table}\` ${drops.join(', ')}`)
    const result = await load()
    const adds = [
      ...keys.map((key) => `ADD KEY \`${key.name}\` (${key.columns})`),
      ...foreign.map((fk) => `ADD CONSTRAINT \`${fk.name}\` ${fk.definition}`),
    ]
    if (adds.length) {
      const started = performance.now()
      await db.query(`ALTER TABLE \`${table}\` ${adds.join(', ')}`)
      this.log(`${table}: keys built again in ${Math.round(performance.now() - started)} ms`)
    }
    return result
  }

  async #insert(db, table, columns, rows) {
    for (let start = 0; start < rows.length; start += BATCH) {
      await db.query(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) VALUES ?`, [
        table,
        ...columns,
        rows.slice(start, start + BATCH),
      ])
    }
  }

  async #users(db, passwordHash) {
    const { users } = this.shape
    const joined = new Date(Date.now() - 400 * DAY)
    const outbox = ['outbox_emails', 'welcome_emails'].find((t) => this.tables.has(t))
    const columns = (await db.query('SHOW COLUMNS FROM users'))[0].map((c) => c.Field)
    // The columns later features added, filled the way the app fills them.
    const extra = {}
    if (columns.includes('email_verified_at')) extra.email_verified_at = () => joined
    if (columns.includes('username_skeleton')) {
      const { usernameSkeleton } = await this.#appModule('app/helpers/username_skeleton.js')
      extra.username_skeleton = (id) => usernameSkeleton(`user${id}`)
    }
    const names = Object.keys(extra)
    for (let start = 1; start <= users; start += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, users - start + 1) }, (_, i) => start + i)
      await db.query(
        `INSERT INTO users (id, username, email, first_name, last_name, password, created_at, updated_at${names.map((n) => `, ${n}`).join('')}) VALUES ?`,
        [
          ids.map((id) => [
            id,
            `user${id}`,
            `user${id}@bench.test`,
            'First',
            `Last${id}`,
            passwordHash,
            joined,
            joined,
            ...names.map((name) => extra[name](id)),
          ]),
        ]
      )
      await db.query(
        'INSERT INTO profiles (id, user_id, profile_picture, bio, created_at, updated_at) VALUES ?',
        [ids.map((id) => [id, id, null, `Bio of user ${id}`, joined, joined])]
      )
      // Each welcome email already sent, so the worker's sweep leaves them alone.
      if (outbox === 'outbox_emails') {
        await db.query(
          'INSERT INTO outbox_emails (kind, user_id, state, attempts, job_key, message_id, sent_at, created_at, updated_at) VALUES ?',
          [
            ids.map((id) => [
              'welcome',
              id,
              'sent',
              1,
              `seed-${id}`,
              `<seed-${id}@bench.test>`,
              joined,
              joined,
              joined,
            ]),
          ]
        )
      } else if (outbox === 'welcome_emails') {
        await db.query(
          'INSERT INTO welcome_emails (user_id, state, attempts, message_id, sent_at, created_at, updated_at) VALUES ?',
          [ids.map((id) => [id, 'sent', 1, `<seed-${id}@bench.test>`, joined, joined, joined])]
        )
      }
    }
    this.log(`users: ${users}`)
  }

  /**
   * A Chung-Lu style graph: each user draws a degree (log-normal) and
   * appears that many times in a list of stubs; the shuffled stubs pair up.
   * Both directions of every pair go into one sorted array of keys
   * (user_id * 2^20 + friend_id), so self-pairs and repeats fall out and
   * the rows go in ordered by primary key, without a Set per user.
   */
  async #friendships(db) {
    const { users, medianFriends, fanoutFriends } = this.shape
    const rand = random(42)
    const degrees = new Uint32Array(users + 1)
    let stubsCount = 0
    for (let id = 2; id <= users; id++) {
      degrees[id] = Math.min(
        Math.max(logNormal(rand, medianFriends, 0.8), 1),
        Math.floor(users / 2)
      )
      stubsCount += degrees[id]
    }
    const stubs = new Uint32Array(stubsCount)
    for (let id = 2, at = 0; id <= users; id++) stubs.fill(id, at, (at += degrees[id]))
    for (let i = stubs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      const swap = stubs[i]
      stubs[i] = stubs[j]
      stubs[j] = swap
    }
    // The fan-out author (user 1, left out above): exactly `fanoutFriends` friends.
    const fanout = []
    const step = Math.max(1, Math.floor((users - 1) / fanoutFriends))
    for (let id = 2; fanout.length < fanoutFriends && id <= users; id += step) fanout.push(id)

    const SHIFT = 2 ** 20
    const keys = new Float64Array(stubs.length + 2 * fanout.length)
    let n = 0
    for (let i = 0; i + 1 < stubs.length; i += 2) {
      if (stubs[i] === stubs[i + 1]) continue
      keys[n++] = stubs[i] * SHIFT + stubs[i + 1]
      keys[n++] = stubs[i + 1] * SHIFT + stubs[i]
    }
    for (const id of fanout) {
      keys[n++] = this.fanoutUser * SHIFT + id
      keys[n++] = id * SHIFT + this.fanoutUser
    }
    const sorted = keys.subarray(0, n).sort()

    const since = Date.now() - 365 * DAY
    const perUser = new Uint32Array(users + 1)
    let rows = []
    let total = 0
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue
      const userId = Math.floor(sorted[i] / SHIFT)
      const friendId = sorted[i] - userId * SHIFT
      perUser[userId]++
      // Both directions of a pair share their date.
      const day = (Math.min(userId, friendId) * 7919 + Math.max(userId, friendId)) % 360
      rows.push([userId, friendId, new Date(since + day * DAY)])
      if (rows.length >= 50_000) {
        await this.#insert(db, 'friendships', ['user_id', 'friend_id', 'created_at'], rows)
        total += rows.length
        rows = []
        if (total % 1_000_000 < 50_000) this.log(`friendships: ${total.toLocaleString('en')} rows`)
      }
    }
    await this.#insert(db, 'friendships', ['user_id', 'friend_id', 'created_at'], rows)
    total += rows.length
    const sizes = [...perUser.subarray(1)].sort((a, b) => a - b)
    const stats = {
      friendships: total,
      friendsMedian: sizes[Math.floor(sizes.length / 2)],
      friendsP99: sizes[Math.floor(sizes.length * 0.99)],
      friendsMax: sizes.at(-1),
      usersWith1000Friends: sizes.filter((size) => size >= 1000).length,
    }
    this.log(`friendships: ${JSON.stringify(stats)}`)
    return stats
  }

  /** Posts over `days`, a log-normal count per user, inserted in time order so ids grow with time. */
  async #posts(db) {
    const { users, medianPosts, days } = this.shape
    const rand = random(7)
    const since = Date.now() - days * DAY
    const posts = []
    for (let id = 1; id <= users; id++) {
      const count = Math.min(logNormal(rand, medianPosts, 1), 500)
      for (let n = 0; n < count; n++) posts.push([id, since + Math.floor(rand() * days * DAY)])
    }
    posts.sort((a, b) => a[1] - b[1])
    const rows = posts.map(([userId, at], i) => {
      const date = new Date(at)
      // Fanned out long ago: a post left owed would be fanned out again by the worker.
      return [i + 1, userId, `Post ${i + 1} by user ${userId}: what a day.`, null, date, date, date]
    })
    await this.#insert(
      db,
      'posts',
      ['id', 'user_id', 'text', 'image', 'created_at', 'updated_at', 'fanned_out_at'],
      rows
    )
    this.log(`posts: ${rows.length}`)
    return rows.length
  }
}
