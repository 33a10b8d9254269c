import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { withHeartbeat } from '#helpers/heartbeat'

test.group('withHeartbeat', () => {
  test('beats while the work runs, past a failed beat, and stops when it settles', async ({
    assert,
  }) => {
    let beats = 0
    let finish!: (value: string) => void
    const work = new Promise<string>((resolve) => (finish = resolve))
    const result = withHeartbeat(work, 5, async () => {
      beats++
      if (beats === 1) throw new Error('lease not renewed')
      if (beats === 3) finish('sent')
    })
    assert.equal(await result, 'sent')
    const afterSettled = beats
    await sleep(50)
    assert.equal(beats, afterSettled)
  })

  test('rejects like the work, and stops beating', async ({ assert }) => {
    let beats = 0
    await assert.rejects(
      () => withHeartbeat(Promise.reject(new Error('SMTP down')), 5, async () => void beats++),
      'SMTP down'
    )
    await sleep(50)
    assert.equal(beats, 0)
  })
})
