import { test } from '@japa/runner'
import { Emitter } from '@adonisjs/core/events'
import app from '@adonisjs/core/services/app'
import type { PostEvent } from '#events/domain_events'
import { guarded } from '#events/listen'

class FailingListener {
  async authorPageChanged(_event: PostEvent) {
    throw new Error('cache away')
  }
}

class CountingListener {
  static calls: PostEvent[] = []
  async authorPageChanged(event: PostEvent) {
    CountingListener.calls.push(event)
  }
}

function recordingLog() {
  const lines: { fields: Record<string, unknown>; message: string }[] = []
  return {
    lines,
    error: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
  }
}

/** app/events/listen.ts: the one policy for a listener's failure. */
test.group('Listener failure policy', () => {
  test('a failing listener is logged with its event and name; the emit resolves and the others run', async ({
    assert,
  }) => {
    const log = recordingLog()
    const emitter = new Emitter(app)
    const event = { postId: 7, authorId: 3 }
    emitter.on(
      'post.updated',
      guarded(
        'post.updated',
        async () => ({ default: FailingListener }),
        'authorPageChanged',
        log as any
      )
    )
    emitter.on(
      'post.updated',
      guarded(
        'post.updated',
        async () => ({ default: CountingListener }),
        'authorPageChanged',
        log as any
      )
    )

    await emitter.emit('post.updated', event)

    assert.deepEqual(CountingListener.calls, [event])
    assert.lengthOf(log.lines, 1)
    assert.equal(log.lines[0].fields.event, 'post.updated')
    assert.equal(log.lines[0].fields.listener, 'FailingListener.authorPageChanged')
    assert.equal((log.lines[0].fields.err as Error).message, 'cache away')
    assert.include(log.lines[0].message, 'post.updated')
  })

  test('the compiler refuses a method that does not take the event', () => {
    // @ts-expect-error a FriendRequestEvent is not a PostEvent
    guarded('friend_request.sent', async () => ({ default: CountingListener }), 'authorPageChanged')
    // @ts-expect-error no such method
    guarded('post.updated', async () => ({ default: CountingListener }), 'missing')
  })
})
