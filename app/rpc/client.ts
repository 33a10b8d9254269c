import { randomUUID } from 'node:crypto'
import type { Channel, ConsumeMessage, RecoveringChannelModel } from 'amqplib'
import { connectWithRecovery } from '#rpc/connection'
import { RPC_QUEUE, RpcError, type RpcReply, type RpcRequest } from '#rpc/protocol'

const REPLY_TO = 'amq.rabbitmq.reply-to'

type Pending = {
  resolve: (reply: RpcReply) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

export interface RpcClientOptions {
  url: string
  /** How long a call waits for its reply. */
  timeoutMs?: number
}

/**
 * Calls the email_sender RPC over RabbitMQ's direct reply-to: one shared
 * connection that reconnects by itself, one channel consuming the replies,
 * each call matched by correlationId and bounded by a timer (the request
 * expires with it, so a late server never acts on a call nobody awaits).
 */
export class RpcClient {
  #connection?: RecoveringChannelModel
  #channel?: Channel
  #ready?: Promise<void>
  #pending = new Map<string, Pending>()

  constructor(private options: RpcClientOptions) {}

  async call(method: string, params: Record<string, unknown> = {}, timeoutMs?: number) {
    const timeout = timeoutMs ?? this.options.timeoutMs ?? 10_000
    await this.#connect()
    const channel = this.#channel
    if (!channel) {
      throw new RpcError('disconnected', 'Not connected to RabbitMQ (reconnecting), retry shortly')
    }
    const correlationId = randomUUID()
    const request: RpcRequest = { method, params }

    const reply = new Promise<RpcReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(correlationId)
        reject(
          new RpcError(
            'timeout',
            `No reply from "${RPC_QUEUE}" within ${timeout} ms: is \`node ace worker\` running?`
          )
        )
      }, timeout)
      this.#pending.set(correlationId, { resolve, reject, timer })
    })

    channel.sendToQueue(RPC_QUEUE, Buffer.from(JSON.stringify(request)), {
      correlationId,
      replyTo: REPLY_TO,
      expiration: String(timeout),
      contentType: 'application/json',
      persistent: false,
    })
    return reply
  }

  /**
   * Calls and unwraps: the result, or an RpcError carrying the server's code.
   */
  async request<T = unknown>(method: string, params?: Record<string, unknown>, timeoutMs?: number) {
    const reply = await this.call(method, params, timeoutMs)
    if (!reply.ok) {
      throw new RpcError(reply.error.code, reply.error.message)
    }
    return reply.result as T
  }

  async close() {
    this.#rejectAll(new RpcError('closed', 'The RPC client was closed'))
    const connection = this.#connection
    this.#connection = undefined
    this.#ready = undefined
    await connection?.close().catch(() => {})
  }

  #connect() {
    this.#ready ??= this.#open().catch((error) => {
      this.#ready = undefined
      throw new RpcError('unavailable', `RabbitMQ is unreachable: ${error.message}`)
    })
    return this.#ready
  }

  async #open() {
    let firstChannel: () => void
    const channelReady = new Promise<void>((resolve) => (firstChannel = resolve))

    // Runs on every (re)connect: a fresh channel consuming the replies.
    const connection = await connectWithRecovery(this.options.url, async (model) => {
      const channel = await model.createChannel()
      channel.on('error', () => {})
      channel.on('close', () => this.#onChannelLost(channel))
      // Consume before the first publish, as direct reply-to requires.
      await channel.consume(REPLY_TO, (message: ConsumeMessage | null) => this.#onReply(message), {
        noAck: true,
      })
      this.#channel = channel
      firstChannel()
    })
    connection.on('error', () => {})
    connection.on('disconnect', () =>
      this.#rejectAll(new RpcError('disconnected', 'Lost the RabbitMQ connection'))
    )
    this.#connection = connection
    await channelReady
  }

  #onReply(message: ConsumeMessage | null) {
    const id = message?.properties.correlationId
    const pending = id && this.#pending.get(id)
    if (!pending) return
    this.#pending.delete(id)
    clearTimeout(pending.timer)
    try {
      pending.resolve(JSON.parse(message!.content.toString()))
    } catch {
      pending.reject(new RpcError('bad_reply', 'The RPC server sent a reply that is not JSON'))
    }
  }

  #onChannelLost(channel: Channel) {
    if (this.#channel === channel) this.#channel = undefined
    // Replies to the lost channel's reply-to address can never arrive.
    this.#rejectAll(new RpcError('disconnected', 'Lost the RabbitMQ channel'))
  }

  #rejectAll(error: Error) {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer)
      pending.reject(error)
      this.#pending.delete(id)
    }
  }
}
