import { test } from '@japa/runner'
import { HotMap } from '#helpers/hot_map'

/** A load the test finishes by hand, to interleave it with deletes. */
function pendingLoad<V>() {
  let finish!: (value: V) => void
  const promise = new Promise<V>((resolve) => (finish = resolve))
  return { load: () => promise, finish }
}

test.group('HotMap', () => {
  test('a load that started before its key was deleted is answered but not kept', async ({
    assert,
  }) => {
    const map = new HotMap<number, string>('test: refill race', 10, 60_000)
    const stale = pendingLoad<string>()
    const reading = map.getOrLoad(1, stale.load)
    map.delete(1)
    stale.finish('old row')
    assert.equal(await reading, 'old row')
    assert.isUndefined(map.get(1))
  })

  test("another key's delete does not stop a load from being kept", async ({ assert }) => {
    const map = new HotMap<number, string>('test: other key', 10, 60_000)
    const pending = pendingLoad<string>()
    const reading = map.getOrLoad(1, pending.load)
    map.delete(2)
    pending.finish('row')
    await reading
    assert.equal(map.get(1), 'row')
  })

  test('clear stops every load in flight from being kept; deleteWhere drops matches', async ({
    assert,
  }) => {
    const map = new HotMap<number, string>('test: bulk', 10, 60_000)
    const pending = pendingLoad<string>()
    const reading = map.getOrLoad(1, pending.load)
    map.clear()
    pending.finish('row')
    await reading
    assert.isUndefined(map.get(1))

    map.set(1, 'keep')
    map.set(2, 'drop')
    map.deleteWhere((value) => value === 'drop')
    assert.deepEqual([map.get(1), map.get(2)], ['keep', undefined])
  })

  test('a load is not kept when its own check says the answer went stale', async ({ assert }) => {
    const map = new HotMap<number, string>('test: keep', 10, 60_000)
    assert.equal(
      await map.getOrLoad(
        1,
        async () => 'row',
        () => false
      ),
      'row'
    )
    assert.isUndefined(map.get(1))
  })

  test('entries expire, null answers are not kept, the oldest goes first', async ({ assert }) => {
    const map = new HotMap<number, string>('test: bounds', 2, 30)
    assert.isNull(await map.getOrLoad(9, async () => null))
    assert.equal(map.size, 0)

    await map.getOrLoad(1, async () => 'one')
    await map.getOrLoad(2, async () => 'two')
    await map.getOrLoad(3, async () => 'three')
    assert.isUndefined(map.get(1))
    assert.equal(map.get(3), 'three')
    assert.deepEqual([map.hits, map.misses], [0, 4])

    await new Promise((resolve) => setTimeout(resolve, 40))
    assert.isUndefined(map.get(3))
  })

  test('load replaces a kept value, unless its key is dropped while it loads', async ({
    assert,
  }) => {
    const map = new HotMap<number, string>('test: load', 10, 60_000)
    map.set(1, 'old')
    assert.equal(await map.load(1, async () => 'new'), 'new')
    assert.equal(map.get(1), 'new')

    await map.load(1, async () => {
      map.delete(1)
      return 'rendered before the drop'
    })
    assert.isUndefined(map.get(1))
  })
})
