import { isoToTheSecond } from '#helpers/stored_time'
import app from '@adonisjs/core/services/app'
import type FriendRequest from '#models/friend_request'
import { UserDirectory } from '#services/users/user_directory'
import type { Lens } from '#services/safety/visibility'
import { userSummary, type UserSummary } from '#presenters/user_presenter'

export interface FriendRequestData {
  id: number
  sender: UserSummary
  receiver: UserSummary
  status: FriendRequest['status']
  created_at: string
  updated_at: string
}

/**
 * Summaries of users by id, from the cached public data; a user deleted
 * meanwhile is simply absent.
 */
export async function userSummaries(ids: number[]) {
  const directory = await app.container.make(UserDirectory)
  const found = await directory.publicDataOf(ids)
  const summaries = new Map<number, UserSummary>()
  for (const [id, data] of found) summaries.set(id, userSummary(data))
  return summaries
}

/** Rows with user ids (a page of people) as user summaries, in the same order. */
export async function presentSummaries(rows: { id: number }[]) {
  const summaries = await userSummaries(rows.map((row) => row.id))
  return rows.flatMap((row) => summaries.get(row.id) ?? [])
}

/** The same, leaving out the people the lens's viewer may not see (blocks either way). */
export function summariesSeenBy(lens: Lens) {
  return (rows: { id: number }[]) => presentSummaries(rows.filter((row) => lens.seesUser(row.id)))
}

/** Friend requests as the API shows them; a request whose user is gone is left out. */
export async function presentFriendRequests(requests: FriendRequest[]) {
  const summaries = await userSummaries(requests.flatMap((r) => [r.senderId, r.receiverId]))
  const shown: FriendRequestData[] = []
  for (const request of requests) {
    const sender = summaries.get(request.senderId)
    const receiver = summaries.get(request.receiverId)
    if (!sender || !receiver) continue
    shown.push({
      id: request.id,
      sender,
      receiver,
      status: request.status,
      created_at: isoToTheSecond(request.createdAt),
      updated_at: isoToTheSecond(request.updatedAt),
    })
  }
  return shown
}

export async function presentFriendRequest(request: FriendRequest) {
  const [shown] = await presentFriendRequests([request])
  return shown
}
