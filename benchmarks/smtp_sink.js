/*
| The SMTP sink: accepts every message (no TLS, no auth), notes when each
| recipient's message arrived, and tells the bench over a small HTTP API on
| loopback: GET /deliveries → [{ to, at }], DELETE /deliveries empties it.
*/
import { createServer } from 'node:http'
import { SMTPServer } from 'smtp-server'

let deliveries = []

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 1000,
  onData(stream, session, callback) {
    stream.on('data', () => {})
    stream.on('end', () => {
      const at = Date.now()
      for (const to of session.envelope.rcptTo) deliveries.push({ to: to.address, at })
      callback()
    })
  },
})
smtp.on('error', () => {})
smtp.listen(Number(process.env.SMTP_PORT), '127.0.0.1')

const api = createServer((req, res) => {
  if (req.method === 'DELETE') deliveries = []
  res.setHeader('content-type', 'application/json')
  res.end(req.method === 'DELETE' ? '[]' : JSON.stringify(deliveries))
})
api.listen(Number(process.env.SINK_API_PORT), '127.0.0.1')

process.on('SIGTERM', () => {
  api.close()
  smtp.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 1000).unref()
})
