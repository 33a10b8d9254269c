/**
 * Resolves like `work`, calling `beat` every `everyMs` until it settles (a
 * claim's lease says "alive, still working" for as long as one task takes).
 * A beat waits for the one before, so a slow beat never piles up; a failed
 * beat is ignored, the next one tries again.
 */
export async function withHeartbeat<T>(
  work: Promise<T>,
  everyMs: number,
  beat: () => Promise<unknown>
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let settled = false
  const next = () => {
    if (settled) return
    timer = setTimeout(
      () =>
        void beat()
          .catch(() => {})
          .finally(next),
      everyMs
    )
  }
  next()
  try {
    return await work
  } finally {
    settled = true
    clearTimeout(timer)
  }
}
