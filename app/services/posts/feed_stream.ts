import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { feedChannel, withOpenStreams } from '#services/notifications/live_streams'

/** What an open feed page hears when a post reaches its timeline (public/static/feed.js). */
export interface FeedMessage {
  post_id: number
}

/**
 * Tells open feed pages that a post reached their timelines, on each
 * reader's own channel (`feed/<id>`). Only readers with a live stream open
 * somewhere get a message: for an author with 1,000 friends, one pipelined
 * Redis round trip finds the few who are online. transmit's Redis transport
 * carries each message to whichever replica holds the reader's stream.
 * Best effort: a page that misses one still shows the post when reloaded.
 */
export class FeedStream {
  /** `readers`: the timelines the post was just put in (the fan-out's). */
  async publish(postId: number, readers: number[]) {
    try {
      const online = await withOpenStreams(readers)
      if (!online.length) return
      const transmit = await app.container.make('transmit')
      const message: FeedMessage = { post_id: postId }
      for (const userId of online) transmit.broadcast(feedChannel(userId), message as any)
    } catch (error) {
      logger.warn({ err: error, postId }, 'new post not announced to open feeds')
    }
  }
}
