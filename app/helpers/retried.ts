/** What MySQL answers the loser of a lock conflict: run again, it finds the rows as the winner left them. */
const LOCK_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'])

export const isLockConflict = (error: { code?: string }) => LOCK_CONFLICTS.has(error?.code ?? '')

/**
 * Runs `work` (a transaction, or statements that each are one) again when it
 * fails with an error `retryable` accepts, by default a lock conflict, up to
 * `attempts` times in all; any other error, or the last one, is thrown.
 */
export async function retried<T>(
  work: () => Promise<T>,
  {
    attempts = 5,
    retryable = isLockConflict,
  }: { attempts?: number; retryable?: (error: any) => boolean } = {}
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error
    }
  }
}
