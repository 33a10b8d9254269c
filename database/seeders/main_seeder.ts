import { BaseSeeder } from '@adonisjs/lucid/seeders'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#models/user'

/** Every demo user signs in with this password (README: "A demo world"). */
export const DEMO_PASSWORD = 'demo-password'

/** Fixed people, so every run builds the same world. */
const PEOPLE = [
  ['Ada', 'Lovelace'],
  ['Alan', 'Turing'],
  ['Grace', 'Hopper'],
  ['Katherine', 'Johnson'],
  ['Edsger', 'Dijkstra'],
  ['Barbara', 'Liskov'],
  ['Donald', 'Knuth'],
  ['Margaret', 'Hamilton'],
  ['Claude', 'Shannon'],
  ['Frances', 'Allen'],
  ['John', 'McCarthy'],
  ['Radia', 'Perlman'],
  ['Dennis', 'Ritchie'],
  ['Hedy', 'Lamarr'],
  ['Ken', 'Thompson'],
  ['Sophie', 'Wilson'],
  ['Tim', 'Berners-Lee'],
  ['Shafi', 'Goldwasser'],
  ['Niklaus', 'Wirth'],
  ['Anita', 'Borg'],
  ['Leslie', 'Lamport'],
  ['Adele', 'Goldberg'],
  ['Tony', 'Hoare'],
  ['Jean', 'Bartik'],
  ['Bjarne', 'Stroustrup'],
  ['Mary', 'Somerville'],
  ['Émilie', 'du Châtelet'],
  ['Zoë', 'Ångström'],
  ['Guido', 'van Rossum'],
  ['Annie', 'Easley'],
  ['Ole-Johan', 'Dahl'],
  ['Kristen', 'Nygaard'],
  ['Evelyn', 'Boyd Granville'],
  ['Yukihiro', 'Matsumoto'],
  ['Joan', 'Clarke'],
  ['Linus', 'Torvalds'],
] as const

/**
 * A small living world for development: 36 confirmed users, each friends
 * with the next three around a circle (so everyone has six friends), and
 * pending requests across the circle (Ada has some for her and some of
 * hers waiting). Run once with `node ace db:seed`; a second run changes
 * nothing. Sign in as any of them, e.g. `ada`, with DEMO_PASSWORD.
 */
export default class MainSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    if (await User.findBy('username', 'ada')) {
      console.log('The demo world is already there (user "ada" exists): nothing to do')
      return
    }

    const verifiedAt = DateTime.utc()
    const users: User[] = []
    for (const [first, last] of PEOPLE) {
      const username = `${first}_${last}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z_]/g, '')
        .toLowerCase()
      users.push(
        // Like every new user: profile and welcome email in the user's transaction.
        await db.transaction((trx) =>
          User.create(
            {
              username: users.length === 0 ? 'ada' : username,
              email: `${username}@example.com`,
              firstName: first,
              lastName: last,
              password: DEMO_PASSWORD,
              emailVerifiedAt: verifiedAt,
            },
            { client: trx }
          )
        )
      )
    }

    const n = users.length
    const now = DateTime.utc().toSQL({ includeOffset: false })
    const friendships = []
    for (let i = 0; i < n; i++) {
      for (let step = 1; step <= 3; step++) {
        const [a, b] = [users[i].id, users[(i + step) % n].id]
        friendships.push({ user_id: a, friend_id: b, created_at: now })
        friendships.push({ user_id: b, friend_id: a, created_at: now })
      }
    }
    await db.table('friendships').multiInsert(friendships)

    // Across the circle, never between friends (who sit at most three
    // apart) and one per pair: every third person asks the one 17 places
    // on and is asked by the one 7 places on; three more wait for Ada.
    const requests = []
    for (let i = 0; i < n; i += 3) {
      requests.push({ sender_id: users[i].id, receiver_id: users[(i + 17) % n].id })
      requests.push({ sender_id: users[(i + 7) % n].id, receiver_id: users[i].id })
    }
    for (const i of [10, 13]) requests.push({ sender_id: users[i].id, receiver_id: users[0].id })
    await db.table('friend_requests').multiInsert(
      requests.map((request) => ({
        ...request,
        status: 'pending',
        created_at: now,
        updated_at: now,
      }))
    )

    console.log(
      `Created ${n} users, ${friendships.length / 2} friendships and ${requests.length} pending requests`
    )
  }
}
