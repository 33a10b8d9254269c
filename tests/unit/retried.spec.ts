import { test } from '@japa/runner'
import { retried } from '#helpers/retried'

/** Work that fails with `codes` in turn, then answers how many calls it took. */
function failingWith(...codes: string[]) {
  let calls = 0
  const work = async () => {
    const code = codes[calls++]
    if (code) throw Object.assign(new Error(code), { code })
    return calls
  }
  return { work, calls: () => calls }
}

test.group('retried', () => {
  test('runs again after a deadlock or a lock wait that ran out', async ({ assert }) => {
    const { work } = failingWith('ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT')
    assert.equal(await retried(work), 3)
  })

  test('throws any other error at once, and a conflict once the attempts are spent', async ({
    assert,
  }) => {
    const other = failingWith('ER_NO_REFERENCED_ROW_2')
    await assert.rejects(() => retried(other.work), 'ER_NO_REFERENCED_ROW_2')
    assert.equal(other.calls(), 1)

    const conflicts = failingWith(...Array(5).fill('ER_LOCK_DEADLOCK'))
    await assert.rejects(() => retried(conflicts.work, { attempts: 3 }), 'ER_LOCK_DEADLOCK')
    assert.equal(conflicts.calls(), 3)
  })

  test('retries what `retryable` accepts instead', async ({ assert }) => {
    const { work } = failingWith('ER_DUP_ENTRY')
    assert.equal(await retried(work, { retryable: (error) => error.code === 'ER_DUP_ENTRY' }), 2)
  })
})
