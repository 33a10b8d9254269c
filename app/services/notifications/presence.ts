import redis from '@adonisjs/redis/services/main'

/**
 * Who is online: user ids scored by when their latest live stream's lease
 * runs out. LiveStreams adds and removes them with the leases (live_streams.ts).
 */
export const ONLINE_KEY = 'streams:online'

/**
 * Of `userIds`, those with a live stream open on some replica (a lease not
 * run out), in one round trip however many ids: the online users are read
 * whole, as they are few next to a fan-out's readers.
 */
export async function withOpenStreams(userIds: number[]): Promise<number[]> {
  if (!userIds.length) return []
  const [, [error, members]] = (await redis
    .pipeline()
    .zremrangebyscore(ONLINE_KEY, '-inf', Date.now())
    .zrange(ONLINE_KEY, 0, -1)
    .exec())!
  if (error) throw error
  const online = new Set((members as string[]).map(Number))
  return userIds.filter((id) => online.has(id))
}
