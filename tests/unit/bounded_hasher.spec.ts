import { test } from '@japa/runner'
import type { HashDriverContract } from '@adonisjs/core/types/hash'
import { BoundedHasher } from '#helpers/bounded_hasher'

/** A driver whose hashes finish when the test says, recording how many run at once. */
function heldDriver() {
  const pending: { value: string; finish: (error?: Error) => void }[] = []
  const state = { running: 0, most: 0, started: [] as string[] }
  const driver = {
    isValidHash: () => true,
    needsReHash: () => false,
    make: (value: string) =>
      new Promise<string>((resolve, reject) => {
        state.running++
        state.most = Math.max(state.most, state.running)
        state.started.push(value)
        pending.push({
          value,
          finish: (error) => {
            state.running--
            if (error) reject(error)
            else resolve(`hash of ${value}`)
          },
        })
      }),
    verify: async (hashed: string, plain: string) => hashed === `hash of ${plain}`,
  } as HashDriverContract
  return { driver, pending, state }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

test.group('BoundedHasher', () => {
  test('runs at most its slots at once, the rest in order of arrival', async ({ assert }) => {
    const { driver, pending, state } = heldDriver()
    const hasher = new BoundedHasher(driver, 2)
    const made = ['a', 'b', 'c', 'd', 'e'].map((value) => hasher.make(value))
    await tick()
    assert.deepEqual(state.started, ['a', 'b'])

    pending.shift()!.finish()
    await tick()
    assert.deepEqual(state.started, ['a', 'b', 'c'])
    while (pending.length) {
      pending.shift()!.finish()
      await tick()
    }
    assert.deepEqual(
      await Promise.all(made),
      ['a', 'b', 'c', 'd', 'e'].map((v) => `hash of ${v}`)
    )
    assert.equal(state.most, 2)
    assert.deepEqual(state.started, ['a', 'b', 'c', 'd', 'e'])
  })

  test('a failed hash gives its slot back', async ({ assert }) => {
    const { driver, pending } = heldDriver()
    const hasher = new BoundedHasher(driver, 1)
    const failing = hasher.make('x')
    const next = hasher.make('y')
    await tick()
    pending.shift()!.finish(new Error('out of memory'))
    await assert.rejects(() => failing, 'out of memory')
    await tick()
    pending.shift()!.finish()
    assert.equal(await next, 'hash of y')
    assert.isTrue(await hasher.verify('hash of y', 'y'))
  })
})
