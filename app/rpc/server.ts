import type { Channel, ChannelModel, ConsumeMessage, RecoveringChannelModel } from 'amqplib'
import type { Logger } from '@adonisjs/core/logger'
import type { RpcMethod } from '#rpc/methods'
import { connectWithRecovery } from '#rpc/connection'
import { RPC_QUEUE, RpcError, type RpcReply } from '#rpc/protocol'

export interface RpcServerOptions {
  url: string
  /** Requests handled at once; RabbitMQ holds back the rest. */
  prefetch: number
  logger: Logger
  /** What it answers, by method name (EmailSenderMethods.table()). */
  methods: Record<string, RpcMethod>
}

/**
 * Serves the email_sender queue: validates each request, runs the method,
 * publishes the reply, then acks. A malformed or unknown request gets an
 * error reply and is acked, never requeued forever. Reconnects and
 * re-declares everything after RabbitMQ restarts.
 */
export class RpcServer {
  #connection?: RecoveringChannelModel
  #channel?: Channel
  #consumerTag?: string
  #inFlight = new Set<Promise<void>>()

  constructor(private options: RpcServerOptions) {}

  async start() {
    const connection = await connectWithRecovery(this.options.url, (model) => this.#consume(model))
    connection.on('error', (error) => this.options.logger.warn({ err: error }, 'RabbitMQ error'))
    connection.on('disconnect', (error) =>
      this.options.logger.warn({ err: error }, 'RabbitMQ connection lost; reconnecting')
    )
    connection.on('connect', () => this.options.logger.info('RPC server connected to RabbitMQ'))
    this.#connection = connection
  }

  /**
   * Stops taking requests, lets the ones in flight finish and reply, then
   * closes the connection.
   */
  async stop() {
    if (this.#channel && this.#consumerTag) {
      await this.#channel.cancel(this.#consumerTag).catch(() => {})
    }
    await Promise.allSettled(this.#inFlight)
    await this.#connection?.close().catch(() => {})
    this.#connection = undefined
  }

  async #consume(model: ChannelModel) {
    const channel = await model.createChannel()
    channel.on('error', (error) => this.options.logger.warn({ err: error }, 'RPC channel error'))
    await channel.assertQueue(RPC_QUEUE, { durable: true })
    await channel.prefetch(this.options.prefetch)
    const { consumerTag } = await channel.consume(RPC_QUEUE, (message) => {
      if (!message) return
      const work = this.#handle(channel, message)
      this.#inFlight.add(work)
      void work.finally(() => this.#inFlight.delete(work))
    })
    this.#channel = channel
    this.#consumerTag = consumerTag
  }

  async #handle(channel: Channel, message: ConsumeMessage) {
    const started = performance.now()
    const { replyTo, correlationId } = message.properties
    let method = '(unparsed)'
    let params: Record<string, unknown> = {}
    let reply: RpcReply

    try {
      ;({ method, params } = this.#parse(message.content))
      reply = { ok: true, result: await this.options.methods[method](params) }
    } catch (error) {
      const code = error instanceof RpcError ? error.code : 'internal'
      reply = { ok: false, error: { code, message: error.message } }
    }

    try {
      if (replyTo) {
        channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(reply)), {
          correlationId,
          contentType: 'application/json',
        })
      }
      channel.ack(message)
    } catch (error) {
      // The channel closed under us: RabbitMQ redelivers the request, and
      // the outbox makes the second run harmless.
      this.options.logger.warn({ err: error, method }, 'RPC reply not delivered')
    }

    this.options.logger.info(
      {
        rpc: method,
        userId: params.user_id,
        outcome: reply.ok ? 'ok' : reply.error.code,
        durationMs: Math.round(performance.now() - started),
      },
      reply.ok ? 'rpc answered' : `rpc failed: ${reply.error.message}`
    )
  }

  #parse(content: Buffer): { method: string; params: Record<string, unknown> } {
    let body: unknown
    try {
      body = JSON.parse(content.toString('utf8'))
    } catch {
      throw new RpcError('bad_request', 'The request is not valid JSON')
    }
    const { method, params = {} } = (body ?? {}) as { method?: unknown; params?: unknown }
    if (typeof method !== 'string') {
      throw new RpcError('bad_request', 'The request needs a "method" string')
    }
    if (!Object.hasOwn(this.options.methods, method)) {
      throw new RpcError('unknown_method', `Unknown method "${method}"`)
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new RpcError('invalid_params', '"params" must be an object')
    }
    return { method, params: params as Record<string, unknown> }
  }
}
