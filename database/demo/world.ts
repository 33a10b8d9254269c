import type User from '#models/user'

/** Every demo user signs in with this password (README: "A demo world"). */
export const DEMO_PASSWORD = 'demo-password'

/** What the pieces of the demo world build on, filled in as they run. */
export interface DemoWorld {
  /** In PEOPLE's order: `users[0]` is Ada, the one to sign in as. */
  users: User[]
  /** The posts, oldest first. */
  posts: { id: number; userId: number }[]
  /** A moment fixed at the start of the run: every date is counted back from it. */
  now: Date
}

/**
 * One part of the world (people, friends, posts, notifications…): it adds
 * its rows and says in one line what it made. database/seeders/main_seeder.ts
 * runs the pieces in order; a new piece (comments and likes) is a file here
 * and one line in its list.
 */
export interface DemoPiece {
  name: string
  run(world: DemoWorld): Promise<string>
}

/** A moment `days` (and `hours`) before the world's now, as MySQL takes it. */
export function ago(world: DemoWorld, days: number, hours = 0) {
  return new Date(world.now.getTime() - (days * 24 + hours) * 3_600_000)
}
