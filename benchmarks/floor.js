/*
| The floor: a plain node:http server with mysql2, one JOIN per request, no
| framework and no cache. It answers GET /users/:id with the same JSON as the
| app's anonymous GET /api/users/:id (same fields, same order).
*/
import { createServer } from 'node:http'
import mysql from 'mysql2'

const DEFAULT_PICTURE = '/static/images/default-avatar.svg'

const pool = mysql.createPool({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_USER ?? 'root',
  password: process.env.DB_PASSWORD ?? '',
  database: process.env.DB_DATABASE,
  connectionLimit: 10,
  timezone: 'Z',
})

const QUERY = `SELECT u.id, u.username, u.first_name, u.last_name, u.created_at,
       p.id AS profile_id, p.user_id, p.profile_picture, p.bio
  FROM users u JOIN profiles p ON p.user_id = u.id
 WHERE u.id = ? LIMIT 1`

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

const server = createServer((req, res) => {
  const match = /^\/users\/(\d+)$/.exec(req.url)
  if (req.method !== 'GET' || !match) {
    return send(res, 404, { errors: [{ message: 'Not found' }] })
  }
  pool.query(QUERY, [Number(match[1])], (error, rows) => {
    if (error) return send(res, 503, { errors: [{ message: error.message }] })
    const row = rows[0]
    if (!row) return send(res, 404, { errors: [{ message: 'Not found' }] })
    send(res, 200, {
      id: row.id,
      username: row.username,
      first_name: row.first_name,
      last_name: row.last_name,
      created_at: row.created_at.toISOString(),
      profile_data: {
        id: row.profile_id,
        owner: row.user_id,
        bio: row.bio,
        profile_picture: row.profile_picture ? `/media/${row.profile_picture}` : DEFAULT_PICTURE,
      },
    })
  })
})

server.keepAliveTimeout = 65_000
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  pool.end(() => process.exit(0))
})
