import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import User from '#models/user'
import Profile from '#models/profile'
import { ProfilePicture } from '#services/pictures/profile_picture'
import { avatar } from '#database/demo/drawings'
import { DEMO_PASSWORD, type DemoPiece } from '#database/demo/world'

/** Fixed people and bios, so every run builds the same world. Ada comes first. */
export const PEOPLE = [
  ['Ada', 'Lovelace', 'Writing notes on an engine that does not exist yet. Poetical science.'],
  ['Alan', 'Turing', 'Long-distance runner. Thinking about thinking machines.'],
  ['Grace', 'Hopper', 'A ship in port is safe, but that is not what ships are built for.'],
  ['Katherine', 'Johnson', 'I counted everything: steps to the road, dishes, stars.'],
  ['Edsger', 'Dijkstra', 'Simplicity is a prerequisite for reliability.'],
  ['Barbara', 'Liskov', 'Abstraction, data types and the occasional distributed system.'],
  ['Donald', 'Knuth', 'Typesetting my own books, slowly and with care. Organ on Sundays.'],
  [
    'Margaret',
    'Hamilton',
    'Software engineering, before it had a name. Ask me about priority displays.',
  ],
  ['Claude', 'Shannon', 'Juggling, unicycles and a little information theory.'],
  ['Frances', 'Allen', 'Compilers that make programs fast without anyone noticing.'],
  ['John', 'McCarthy', 'Lists all the way down.'],
  ['Radia', 'Perlman', 'I make networks that heal themselves. I also write poems about them.'],
  ['Dennis', 'Ritchie', 'Small tools that do one thing well.'],
  ['Hedy', 'Lamarr', 'Actress by day, inventor by night: frequency hopping.'],
  ['Ken', 'Thompson', 'Chess endgames and operating systems.'],
  ['Sophie', 'Wilson', 'Designing instruction sets on the back of envelopes.'],
  ['Tim', 'Berners-Lee', 'Proposed something vague but exciting once.'],
  ['Shafi', 'Goldwasser', 'Proving things without telling you why they are true.'],
  ['Niklaus', 'Wirth', 'Algorithms + data structures = programs.'],
  ['Anita', 'Borg', 'Bringing more women into computing, one conference at a time.'],
] as const

function usernameOf(first: string, last: string) {
  return `${first}_${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z_]/g, '')
    .toLowerCase()
}

/** Confirmed users with a bio and a drawn profile picture, stored as an upload is. */
export const people: DemoPiece = {
  name: 'people',
  async run(world) {
    const pictures = await app.container.make(ProfilePicture)
    for (const [index, [first, last, bio]] of PEOPLE.entries()) {
      const username = index === 0 ? 'ada' : usernameOf(first, last)
      // Like every new user: profile and welcome email in the user's transaction.
      const user = await db.transaction((trx) =>
        User.create(
          {
            username,
            email: `${username}@example.com`,
            firstName: first,
            lastName: last,
            password: DEMO_PASSWORD,
            emailVerifiedAt: DateTime.fromJSDate(world.now),
          },
          { client: trx }
        )
      )
      const picture = await avatar(index)
      const profile = await Profile.findByOrFail('userId', user.id)
      profile.merge({ bio, profilePicture: await pictures.storeImage(picture, picture.length) })
      await profile.save()
      world.users.push(user)
    }
    return `${world.users.length} confirmed people with a bio and a picture`
  },
}
