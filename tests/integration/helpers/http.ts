import { request, createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { once } from 'node:events'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

/**
 * A plain HTTP request: no headers added, no body decoded (fetch would add
 * Accept-Encoding and unzip), a fresh connection each time.
 */
export async function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}
): Promise<RawResponse> {
  const req = request(url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    agent: false,
  })
  // A server that answers early (a 413) resets our unfinished upload: that
  // error matters only while no response has come.
  const failed = new Promise<never>((_, reject) => req.once('error', reject))
  req.on('error', () => {})
  req.end(options.body)
  const [response] = await Promise.race([once(req, 'response'), failed])
  const chunks: Buffer[] = []
  for await (const chunk of response) chunks.push(chunk)
  const body = Buffer.concat(chunks)
  return { status: response.statusCode, headers: response.headers, body, text: body.toString() }
}

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  bodyLength: number
  /** the client port of the connection it came on: the same port means a reused connection */
  remotePort: number
}

/**
 * A stand-in upstream that records what reaches it and answers 200 JSON.
 */
export class EchoServer {
  readonly requests: SeenRequest[] = []
  #server: Server

  private constructor(server: Server) {
    this.#server = server
  }

  /** On `port`, or one the OS picks: a stopped replica comes back on its own port. */
  static async start(port = 0) {
    const echo: EchoServer = new EchoServer(
      createServer(async (req, res) => {
        let bodyLength = 0
        for await (const chunk of req) bodyLength += chunk.length
        echo.requests.push({
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          bodyLength,
          remotePort: req.socket.remotePort!,
        })
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ seen: echo.requests.length }))
      })
    )
    echo.#server.listen(port, '127.0.0.1')
    await once(echo.#server, 'listening')
    return echo
  }

  get address() {
    const { port } = this.#server.address() as { port: number }
    return `127.0.0.1:${port}`
  }

  last() {
    return this.requests.at(-1)
  }

  async stop() {
    this.#server.closeAllConnections()
    this.#server.close()
    await once(this.#server, 'close')
  }
}
