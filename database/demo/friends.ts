import db from '@adonisjs/lucid/services/db'
import { ago, type DemoWorld } from '#database/demo/world'
import { primary } from '#helpers/primary'
import { friendSetsChanged } from '#services/friends/friendship_queries'

/** Ada's friends, by their place in PEOPLE: she asked the first two, the others asked her. */
export const ADA_ASKED = [1, 2]
export const ASKED_ADA = [3, 4, 5, 6, 7]
/** Who waits for Ada's answer, and whom she waits for. */
export const WAITING_FOR_ADA = [8, 9, 10]
export const ADA_WAITS_FOR = [11]

/**
 * Friendships as they came about: accepted requests (both rows of the
 * friendship, one per direction), spread over the last weeks; everyone
 * else is friends with the next two around a circle; pending requests.
 */
export async function friends(world: DemoWorld) {
  const id = (index: number) => world.users[index].id
  const pairs: [number, number, Date][] = []
  const accepted: [number, number, Date][] = []
  for (const [n, friend] of ADA_ASKED.entries()) accepted.push([0, friend, ago(world, 30 - n, 4)])
  for (const [n, friend] of ASKED_ADA.entries())
    accepted.push([friend, 0, ago(world, 27 - n * 2, 9)])
  pairs.push(...accepted)
  const n = world.users.length
  for (let i = 1; i < n; i++) {
    for (const step of [1, 2]) {
      const j = ((i - 1 + step) % (n - 1)) + 1 // around the circle without Ada
      const known = pairs.some(([a, b]) => (a === i && b === j) || (a === j && b === i))
      if (!known) pairs.push([i, j, ago(world, 35 - i, step)])
    }
  }

  await db.table('friendships').multiInsert(
    pairs.flatMap(([a, b, at]) => [
      { user_id: id(a), friend_id: id(b), created_at: at },
      { user_id: id(b), friend_id: id(a), created_at: at },
    ])
  )
  // Marked as the friendships service marks each change (the fan-out's kept lists check it).
  await friendSetsChanged(primary(), [...new Set(pairs.flatMap(([a, b]) => [id(a), id(b)]))])
  const requests = [
    ...accepted.map(([sender, receiver, at]) => ({ sender, receiver, at, status: 'accepted' })),
    ...WAITING_FOR_ADA.map((sender, k) => ({
      sender,
      receiver: 0,
      at: ago(world, 3 - k, 5),
      status: 'pending',
    })),
    ...ADA_WAITS_FOR.map((receiver) => ({
      sender: 0,
      receiver,
      at: ago(world, 2),
      status: 'pending',
    })),
  ]
  await db.table('friend_requests').multiInsert(
    requests.map(({ sender, receiver, at, status }) => ({
      sender_id: id(sender),
      receiver_id: id(receiver),
      status,
      created_at: at,
      updated_at: at,
      // The notifications piece writes what these would have notified.
      notified_at: at,
    }))
  )
  const pending = requests.filter((request) => request.status === 'pending').length
  return `${pairs.length} friendships (Ada has ${accepted.length} friends) and ${pending} pending requests`
}
