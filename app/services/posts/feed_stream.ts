import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { feedChannel } from '#services/notifications/live_streams'
import { withOpenStreams } from '#services/notifications/presence'

/** What an open feed page hears when posts reach its timeline (public/static/feed.js). */
export interface FeedMessage {
  post_ids: number[]
}

/**
 * Tells open feed pages that posts reached their timelines, on each
 * reader's own channel (`feed/<id>`). Only readers with a live stream open
 * somewhere get a message: for an author with 1,000 friends, one pipelined
 * Redis round trip finds the few who are online. transmit's Redis transport
 * carries each message to whichever replica holds the reader's stream.
 * Best effort: a page that misses one still shows the posts when reloaded.
 */
export class FeedStream {
  /** `added`: reader → the post ids just put in their timeline (the fan-out's). */
  async publish(added: Map<number, number[]>) {
    try {
      const online = await withOpenStreams([...added.keys()])
      if (!online.length) return
      const transmit = await app.container.make('transmit')
      for (const userId of online) {
        const message: FeedMessage = { post_ids: added.get(userId)! }
        transmit.broadcast(feedChannel(userId), message as any)
      }
    } catch (error) {
      logger.warn({ err: error }, 'new posts not announced to open feeds')
    }
  }
}
