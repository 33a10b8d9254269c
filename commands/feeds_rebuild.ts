import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, USER_REFERENCE } from '#helpers/admin_command'
import { counted } from '#helpers/text'

export default class FeedsRebuild extends AdminCommand {
  static commandName = 'feeds:rebuild'
  static description = "Rebuild home timelines from MySQL (one user's, or everyone's)"
  static help = [
    "With a user, rebuilds that user's timeline now. Without one, drops every timeline",
    'and the post cache (needed after restoring a database backup: post ids start',
    'again), rebuilds the timelines of the users who posted most recently, and leaves',
    'the rest to be rebuilt on their next read.',
    '',
    '  {{ binaryName }} feeds:rebuild ada',
    '  {{ binaryName }} feeds:rebuild 7',
    '  {{ binaryName }} feeds:rebuild --warm=5000',
  ]

  @args.string({ description: `${USER_REFERENCE}; everyone when left out`, required: false })
  declare user?: string

  @flags.number({
    description: 'Without a user: how many recently active users to rebuild now',
    default: 1000,
  })
  declare warm: number

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { HomeFeed } = await import('#services/posts/home_feed')
    const { TimelineStore } = await import('#services/posts/timeline_store')
    const { PostCache } = await import('#cache/post_cache')
    const { CacheInvalidation } = await import('#cache/invalidation')
    const feed = await this.app.container.make(HomeFeed)
    // Checked before anything is dropped.
    const { warm } = this.wholeNumbers({ warm: [this.warm, 0] })

    if (this.user !== undefined) {
      const user = await this.findUser(this.user)
      await feed.rebuild(user.id)
      this.logger.success(`Rebuilt the home timeline of ${user.username}`)
      return
    }

    await new TimelineStore().dropAll()
    await new PostCache().dropAll()
    // And every web process's in-process caches, which are keyed by id too.
    const invalidate = await this.app.container.make(CacheInvalidation)
    await invalidate.all()
    const authors = await db
      .from('posts')
      .groupBy('user_id')
      .select('user_id')
      .orderByRaw('MAX(id) DESC')
      .limit(warm)
    await this.#rebuildAll(
      authors.map((row) => Number(row.user_id)),
      (userId) => feed.rebuild(userId)
    )
    this.logger.success(
      `Dropped every timeline and cache; rebuilt ${counted(authors.length, 'timeline')}, the rest rebuild on their next read`
    )
  }

  /**
   * A few rebuilds at a time (each waits on MySQL and Redis in turn), with
   * a spinner counting them on a terminal: a warm of thousands takes a while.
   */
  async #rebuildAll(userIds: number[], rebuild: (userId: number) => Promise<unknown>) {
    const spinner = process.stdout.isTTY
      ? this.logger.await(`Rebuilding ${counted(userIds.length, 'timeline')}`).start()
      : null
    let done = 0
    let failed = false
    const queue = userIds.values()
    const rebuildNext = async () => {
      for (const userId of queue) {
        // One failed (MySQL or Redis away): the others start no more.
        if (failed) return
        await rebuild(userId).catch((error) => {
          failed = true
          throw error
        })
        done++
        spinner?.update(`Rebuilt ${done} of ${counted(userIds.length, 'timeline')}`)
      }
    }
    // Every rebuild under way ends before the command does (it closes the connections).
    const outcomes = await Promise.allSettled(Array.from({ length: REBUILDS_AT_ONCE }, rebuildNext))
    spinner?.stop()
    const failure = outcomes.find((outcome) => outcome.status === 'rejected')
    if (failure) throw failure.reason
  }
}

const REBUILDS_AT_ONCE = 4
