import { BaseSeeder } from '@adonisjs/lucid/seeders'
import User from '#models/user'
import { DEMO_PASSWORD, type DemoPiece, type DemoWorld } from '#database/demo/world'
import { people } from '#database/demo/people'
import { friends } from '#database/demo/friends'
import { posts } from '#database/demo/posts'
import { notifications } from '#database/demo/notifications'

export { DEMO_PASSWORD }

/** The world's pieces, in order (database/demo/): each builds on the ones before. */
const PIECES: DemoPiece[] = [people, friends, posts, notifications]

/**
 * A small world that looks used, for development: 20 confirmed people with
 * bios and pictures, Ada's friends and theirs, posts over the last weeks
 * (some with pictures), requests waiting and Ada's notifications. The same
 * world on every run (fixed texts and drawings). Run once with
 * `node ace db:seed`; on a database that has it already, it changes nothing
 * and says so.
 */
export default class MainSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    if (await User.findBy('username', 'ada')) {
      console.log('The demo world is already there (user "ada" exists): nothing to do')
      return
    }
    const world: DemoWorld = { users: [], posts: [], now: new Date() }
    for (const piece of PIECES) {
      console.log(`Demo world, ${piece.name}: ${await piece.run(world)}`)
    }
    console.log(
      `Sign in as "ada" (or any other username of users:list) with the password "${DEMO_PASSWORD}"`
    )
  }
}
