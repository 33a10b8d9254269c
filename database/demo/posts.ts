import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { PostImage } from '#services/pictures/post_image'
import { landscape } from '#database/demo/drawings'
import { ago, type DemoPiece } from '#database/demo/world'

/** [author's place in PEOPLE, days ago, hours ago, text, picture drawn from this seed]. */
const POSTS: [number, number, number, string | null, number | null][] = [
  [1, 24, 3, 'Ran 30 km along the river this morning. Good for thinking.', null],
  [
    0,
    22,
    5,
    'Finished my notes on the engine: they are longer than the paper they annotate.',
    null,
  ],
  [2, 20, 2, 'Found an actual moth in the relay today. Taped it into the log book.', 1],
  [3, 18, 7, 'Checked the trajectory numbers by hand again. They hold.', null],
  [4, 16, 1, 'Reminder: testing shows the presence, not the absence of bugs.', null],
  [0, 14, 6, 'A walk in the hills before the rain.', 2],
  [5, 12, 4, 'Subtypes should behave like their supertypes. That is the whole talk.', null],
  [6, 11, 8, 'Chapter 7 is done. Only 5 more volumes to go.', null],
  [7, 9, 3, 'The landing went fine: the software put the important things first.', 3],
  [1, 8, 2, 'Can a machine think? Wrong question. Can it play the imitation game?', null],
  [0, 7, 9, 'The engine might compose elaborate pieces of music, of any complexity.', null],
  [2, 6, 1, 'Handing out nanoseconds again: each one is a foot of wire.', null],
  [12, 5, 6, 'Wrote a small tool that does one thing. It does it well.', null],
  [3, 4, 3, 'Evening sky over the launch site.', 4],
  [5, 3, 5, 'Our reading group meets Thursday; bring a paper you disagree with.', null],
  [0, 2, 2, 'Thank you all for the kind words about the notes!', null],
  [4, 1, 7, 'Two-line proof today. It took a week to find.', null],
  [6, 0, 5, 'Fixed a typo in the index. Cheque is in the post.', 5],
  [0, 0, 2, 'Who wants to help me draw the diagrams for the next chapter?', null],
]

/** Posts over the last weeks by Ada and her friends (a few with pictures), oldest first. */
export const posts: DemoPiece = {
  name: 'posts',
  async run(world) {
    const images = await app.container.make(PostImage)
    // Ids grow with time, as the feed orders by id.
    const ordered = [...POSTS].sort((a, b) => b[1] * 24 + b[2] - (a[1] * 24 + a[2]))
    let pictures = 0
    for (const [author, days, hours, text, seed] of ordered) {
      let image: string | null = null
      if (seed !== null) {
        const drawing = await landscape(seed)
        image = await images.storeImage(drawing, drawing.length)
        pictures++
      }
      const at = ago(world, days, hours)
      // fanned_out_at stays empty: the worker's sweep puts each post in the feeds.
      const [id] = await db.table('posts').insert({
        user_id: world.users[author].id,
        text,
        image,
        created_at: at,
        updated_at: at,
      })
      world.posts.push({ id: Number(id), userId: world.users[author].id })
    }
    return `${world.posts.length} posts, ${pictures} with a picture`
  },
}
