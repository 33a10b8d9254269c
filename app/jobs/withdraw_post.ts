import { inject } from '@adonisjs/core'
import { QueuedJob } from '#jobs/bull_adapter'
import { HomeFeed } from '#services/posts/home_feed'

export interface WithdrawPostPayload {
  postId: number
  authorId: number
}

/**
 * Takes a deleted post's id out of the timelines it was fanned out to.
 * Reads already hide it (the post cache has its tombstone); this frees the
 * room it took in each capped timeline.
 */
@inject()
export default class WithdrawPost extends QueuedJob<WithdrawPostPayload> {
  static jobName = 'WithdrawPost'

  constructor(private feed: HomeFeed) {
    super()
  }

  async handle({ postId, authorId }: WithdrawPostPayload) {
    await this.feed.withdraw(postId, authorId)
  }

  async rescue(payload: WithdrawPostPayload, error: Error) {
    this.logger.warn({ ...payload, err: error }, 'withdrawing a deleted post from feeds gave up')
  }
}
