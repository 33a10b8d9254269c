import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import FanOutPosts from '#jobs/fan_out_posts'
import { PostCache } from '#cache/post_cache'
import { TimelineStore } from '#services/posts/timeline_store'

/**
 * Empties the post cache and every timeline. Post and user ids start again
 * when the test database is rebuilt, while Redis keeps what a previous run
 * left under the same ids.
 */
export async function resetFeedState() {
  await new PostCache().dropAll()
  await new TimelineStore().dropAll()
}

export function isolateFeedState(group: Group) {
  group.setup(() => resetFeedState())
  group.each.setup(() => resetFeedState())
}

/** What the worker's fan-out drain does, without a worker: every owed post, in batches. */
export async function drainFanOuts() {
  const job = await app.container.make(FanOutPosts)
  while (await job.batch()) {}
}
