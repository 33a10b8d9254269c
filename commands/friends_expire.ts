import { flags } from '@adonisjs/core/ace'
import { AdminCommand } from '#helpers/admin_command'

export default class FriendsExpire extends AdminCommand {
  static commandName = 'friends:expire'
  static description = 'Remove pending friend requests older than 90 days'
  static help = [
    'The worker does this every hour; run it by hand to see or clear the backlog now.',
    '',
    '  {{ binaryName }} friends:expire --dry-run   # list what would go, change nothing',
    '  {{ binaryName }} friends:expire',
  ]

  @flags.boolean({ description: 'Show what would be removed without removing it' })
  declare dryRun: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { FriendRequestExpiry, FRIEND_REQUEST_TTL_DAYS } =
      await import('#services/friends/friend_request_expiry')
    const expiry = new FriendRequestExpiry()
    const cutoff = expiry.cutoff().toFormat('yyyy-LL-dd HH:mm')
    const { requests, total } = await expiry.preview()

    if (total === 0) {
      this.logger.info(`No pending friend request is older than ${FRIEND_REQUEST_TTL_DAYS} days`)
      return
    }

    const table = this.ui.table()
    table.head(['ID', 'Sender', 'Receiver', 'Sent (UTC)'])
    for (const request of requests) {
      table.row([
        String(request.id),
        String(request.senderId),
        String(request.receiverId),
        request.createdAt.toUTC().toFormat('yyyy-LL-dd HH:mm'),
      ])
    }
    table.render()
    if (total > requests.length) this.logger.log(`… and ${total - requests.length} more`)

    if (this.dryRun) {
      this.logger.info(
        `Dry run: ${total} pending request(s) sent before ${cutoff} UTC would be removed`
      )
      return
    }
    const removed = await expiry.expire()
    this.logger.success(`Removed ${removed} pending friend request(s) sent before ${cutoff} UTC`)
  }
}
