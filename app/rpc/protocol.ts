import type { OutboxKind } from '#models/outbox_email'

/**
 * The wire format of the email_sender RPC (see CONTRACT.md).
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
}
