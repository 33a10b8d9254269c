import db from '@adonisjs/lucid/services/db'
import { ADA_ASKED, WAITING_FOR_ADA } from '#database/demo/friends'
import type { DemoPiece } from '#database/demo/world'

/**
 * What Ada was told: the requests waiting for her (unread) and the friends
 * who accepted hers (the older one read), each at its request's time.
 */
export const notifications: DemoPiece = {
  name: 'notifications',
  async run(world) {
    const ada = world.users[0]
    const told = [
      ...WAITING_FOR_ADA.map((sender) => ({
        type: 'friend_request',
        actor: sender,
        status: 'pending',
      })),
      ...ADA_ASKED.map((receiver) => ({
        type: 'friend_accepted',
        actor: receiver,
        status: 'accepted',
      })),
    ]
    const rows = []
    for (const [n, { type, actor, status }] of told.entries()) {
      const actorId = world.users[actor].id
      const request = await db
        .from('friend_requests')
        .where('status', status)
        .where((query) =>
          query
            .where({ sender_id: actorId, receiver_id: ada.id })
            .orWhere({ sender_id: ada.id, receiver_id: actorId })
        )
        .firstOrFail()
      rows.push({
        recipient_id: ada.id,
        type,
        actor_id: actorId,
        subject_id: request.id,
        created_at: request.updated_at,
        read_at: n === told.length - 1 ? request.updated_at : null,
      })
    }
    // Oldest first, so ids grow with time as the list orders by id.
    rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())
    await db.table('notifications').multiInsert(rows)
    const unread = rows.filter((row) => row.read_at === null).length
    return `${rows.length} notifications for Ada (${unread} unread)`
  },
}
