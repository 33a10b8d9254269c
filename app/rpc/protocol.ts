import type { OutboxKind } from '#models/outbox_email'

/**
 * The wire format of the email_sender RPC. A request is a JSON `RpcRequest`
 * on the durable queue below, with `correlationId`, `replyTo` (the client
 * uses RabbitMQ's direct reply-to) and an `expiration` equal to its
 * timeout. The server acks each request once handled and answers one JSON
 * `RpcReply` to `replyTo` under the same `correlationId`: `{ok: true,
 * result}`, or `{ok: false, error: {code, message}}` (`bad_request`,
 * `unknown_method`, `invalid_params`, a method's own code such as
 * `send_failed`, or `internal`). A request is never requeued. The methods
 * are `ping` and EMAIL_METHODS below.
 */
export const RPC_QUEUE = 'email_sender'

export type RpcRequest = { method: string; params?: Record<string, unknown> }

export type RpcReply =
  { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

/** A failed call: the server's error reply, a timeout, or a lost channel. */
export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

/**
 * The RPC method that sends each kind of outbox email; each takes
 * `{user_id, outbox_id}` (`registration` also takes `{user_id}` alone).
 */
export const EMAIL_METHODS: Record<OutboxKind, string> = {
  welcome: 'registration',
  email_confirmation: 'email_confirmation',
  password_reset: 'password_reset',
  password_changed: 'password_changed',
  moderation_post_removed: 'moderation_post_removed',
  moderation_suspended: 'moderation_suspended',
}
