import { test } from '@japa/runner'
import { UnrecoverableError } from 'bullmq'
import SendOutboxEmail from '#jobs/send_outbox_email'
import { RpcError } from '#rpc/protocol'
import type { RpcClient } from '#rpc/client'

/** A job's outcome: Bull retries a plain error with backoff, and never an UnrecoverableError. */
async function failureOf(work: Promise<unknown>) {
  try {
    await work
  } catch (error) {
    return error
  }
  throw new Error('the job did not fail')
}

const answering = (code: string) =>
  ({
    request: async () => {
      throw new RpcError(code, `the RPC said ${code}`)
    },
  }) as unknown as RpcClient

/** A row a job cannot find may not be visible yet: Bull tries again rather than giving up. */
test.group('Jobs: a row not found yet', () => {
  test('an outbox email not found is retried; a user who is gone is not', async ({ assert }) => {
    const payload = { userId: 1, kind: 'welcome' as const, outboxId: 1 }
    const missingEmail = await failureOf(
      new SendOutboxEmail(answering('unknown_email')).handle(payload)
    )
    assert.instanceOf(missingEmail, RpcError)
    assert.notInstanceOf(missingEmail, UnrecoverableError)

    const goneUser = await failureOf(new SendOutboxEmail(answering('unknown_user')).handle(payload))
    assert.instanceOf(goneUser, UnrecoverableError)
  })
})
