/**
 * Thrown by withTimeout when the work did not finish in time.
 */
export class TimeoutError extends Error {
  name = 'TimeoutError'
}

/**
 * Resolves like `work`, or rejects with a TimeoutError after `ms`, so a
 * dependency that hangs (Redis queueing commands while it is away) cannot
 * hang the caller. The work itself is not cancelled.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
