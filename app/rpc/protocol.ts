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
