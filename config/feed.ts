/**
 * The home feed: each user's timeline is a capped sorted set of post ids in
 * Redis (README, "The home feed").
 */
const feedConfig = {
  /** Post ids kept per timeline; older pages come from MySQL. Mastodon keeps 800. */
  capacity: 800,
  /** A timeline nobody reads for this long expires, and is rebuilt from MySQL on the next read. */
  idleSeconds: 7 * 24 * 3600,
  /** Timelines written per Redis round trip when posts fan out. */
  fanOutBatch: 500,
  /** Posts a fan-out job claims and fans out together (one transaction, one friend query). */
  fanOutPosts: 100,
  /** Post ids read from a timeline per round trip while filling a page. */
  readBatch: 64,
}

export default feedConfig
