import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import { randomUUID } from 'node:crypto'

export interface SseEvent {
  data: string
  receivedAt: number
}

/**
 * A browser's session, signed in through the real forms: cookies kept
 * between requests, and the CSRF token the pages carry.
 */
export class WebSession {
  cookies = new Map<string, string>()
  csrfToken = ''

  private constructor(
    readonly baseUrl: string,
    /** Sent with every request (an `x-forwarded-for` of the client's own). */
    readonly headers: Record<string, string> = {}
  ) {}

  static async signIn(
    baseUrl: string,
    uid: string,
    password: string,
    headers: Record<string, string> = {}
  ) {
    const session = new WebSession(baseUrl, headers)
    const form = await session.fetch('/login')
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(await form.text())?.[1]
    if (!token) throw new Error('no CSRF token on /login')
    const signedIn = await session.submit('/login', { _csrf: token, uid, password })
    if (signedIn.status !== 302) throw new Error(`sign-in answered ${signedIn.status}`)
    const home = await (await session.fetch('/')).text()
    session.csrfToken =
      /<meta name=['"]csrf-token['"] content=['"]([^'"]+)['"]/.exec(home)?.[1] ?? ''
    if (!session.csrfToken) throw new Error('not signed in: no csrf-token meta on /')
    return session
  }

  get cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async fetch(path: string, init: RequestInit = {}) {
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(init.headers as Record<string, string>),
        cookie: this.cookieHeader,
      },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair.indexOf('=')
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return response
  }

  /** Sends a form as the page does: urlencoded, with the session's CSRF token. */
  submit(path: string, fields: Record<string, string> = {}) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrfToken, ...fields }).toString(),
    })
  }

  /** What transmit's client does: open the stream, then subscribe to the channel. */
  async listen(channel: string, userId: number, streamBaseUrl = this.baseUrl) {
    const uid = `u${userId}-${randomUUID()}`
    const stream = await SseStream.open(`${streamBaseUrl}/__transmit/events?uid=${uid}`, {
      cookie: this.cookieHeader,
    })
    const subscribed = await this.fetch('/__transmit/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken },
      body: JSON.stringify({ uid, channel }),
    })
    if (subscribed.status !== 204) {
      stream.close()
      throw new Error(`subscribe answered ${subscribed.status}: ${await subscribed.text()}`)
    }
    return stream
  }
}

/**
 * A server-sent-events client: collects the `data:` of each event as it
 * arrives, with the time it arrived.
 */
export class SseStream {
  readonly events: SseEvent[] = []
  /** Resolves when the server ends the stream (or the connection drops). */
  readonly ended: Promise<void>
  #buffer = ''

  private constructor(
    private req: ClientRequest,
    readonly response: IncomingMessage
  ) {
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => this.#receive(chunk))
    response.on('error', () => {})
    this.ended = new Promise((resolve) => response.once('close', () => resolve()))
  }

  static async open(url: string, headers: Record<string, string> = {}) {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false })
    req.on('error', () => {})
    req.end()
    const [response] = (await once(req, 'response')) as [IncomingMessage]
    if (response.statusCode !== 200) {
      response.resume()
      throw new Error(`the stream answered ${response.statusCode}`)
    }
    return new SseStream(req, response)
  }

  #receive(chunk: string) {
    this.#buffer += chunk
    let end: number
    while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end + 2)
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n')
      if (data) this.events.push({ data, receivedAt: Date.now() })
    }
  }

  /** The payloads published to `channel` (transmit wraps each in {channel, payload}). */
  messages(channel: string) {
    return this.events
      .map((event) => ({ ...JSON.parse(event.data), receivedAt: event.receivedAt }))
      .filter((message) => message.channel === channel)
  }

  async waitForMessage(channel: string, predicate: (payload: any) => boolean, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const found = this.messages(channel).find((message) => predicate(message.payload))
      if (found) return found as { payload: any; receivedAt: number }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`no matching message on ${channel} within ${timeoutMs} ms`)
  }

  /** Whether the server ends the stream within `timeoutMs`. */
  async endsWithin(timeoutMs: number) {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)))
    const ended = await Promise.race([this.ended.then(() => true), timeout])
    clearTimeout(timer)
    return ended
  }

  close() {
    this.req.destroy()
  }
}
