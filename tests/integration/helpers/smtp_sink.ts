import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import env from '#start/env'
import { waitUntil } from '#tests/helpers'

/**
 * A real SMTP server for tests: it stores what it accepts and can refuse
 * the next N messages with a temporary error. With `acceptAfterMs` it takes
 * that long to accept each message, and keeps none whose client went away
 * meanwhile (as a real server does not deliver what it never accepted).
 */
export class SmtpSink {
  messages: ParsedMail[] = []
  /** Messages being received and not answered yet. */
  receiving = 0
  /** When each message arrived, accepted or refused (Date.now()). */
  arrivals: number[] = []
  #refuseNext = 0
  #server: SMTPServer
  #closed = new Set<string>()

  constructor(
    private port: number,
    private options: { acceptAfterMs?: number } = {}
  ) {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => void this.#receive(stream, session, callback),
      onClose: (session) => this.#closed.add(session.id),
    })
    this.#server.on('error', () => {})
  }

  start() {
    return new Promise<this>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(this.port, '127.0.0.1', () => resolve(this))
    })
  }

  stop() {
    return new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** Answers the next `count` messages with 451 (try again later). */
  refuseNext(count: number) {
    this.#refuseNext = count
  }

  to(address: string) {
    return this.messages.filter((message) =>
      [message.to ?? []].flat().some((to) => to.value.some((v) => v.address === address))
    )
  }

  /** Waits for the email with this subject to reach `address`, and returns it. */
  async waitFor(address: string, subject: string, timeoutMs = 10_000) {
    const find = () => this.to(address).find((message) => message.subject === subject)
    await waitUntil(() => Boolean(find()), timeoutMs)
    return find()!
  }

  async #receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void
  ) {
    this.receiving++
    this.arrivals.push(Date.now())
    let parsed: ParsedMail
    try {
      parsed = await simpleParser(stream)
    } catch {
      // The sender died mid-message (a SIGKILLed worker): nothing was received.
      this.receiving--
      return
    }
    if (this.options.acceptAfterMs) {
      await new Promise((resolve) => setTimeout(resolve, this.options.acceptAfterMs))
    }
    this.receiving--
    if (this.#closed.has(session.id)) return
    if (this.#refuseNext > 0) {
      this.#refuseNext--
      const error: Error & { responseCode?: number } = new Error('Try again later')
      error.responseCode = 451
      return callback(error)
    }
    this.messages.push(parsed)
    callback()
  }
}

/**
 * The link an email's text part carries on a line of its own, starting
 * with APP_URL + `path` (e.g. '/reset-password/'); fails when there is none.
 */
export function linkIn(message: ParsedMail, path: string) {
  const prefix = `${env.get('APP_URL')}${path}`
  const line = (message.text ?? '')
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.startsWith(prefix) && /^\S+$/.test(text))
  if (!line) throw new Error(`No ${prefix}… line in "${message.subject}":\n${message.text}`)
  return line
}
