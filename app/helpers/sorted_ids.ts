/**
 * Binary search in ascending ids: the kept relations' friends and blocks,
 * the posts a user likes (app/cache/stores.ts).
 */
export function hasSorted(ids: Int32Array, id: number) {
  let low = 0
  let high = ids.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    if (ids[mid] === id) return true
    if (ids[mid] < id) low = mid + 1
    else high = mid - 1
  }
  return false
}
