import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { PeopleSearch } from '#services/users/people_search'
import { FriendshipsService } from '#services/friends/friendships_service'
import { peopleSearchValidator } from '#validators/friend_request'
import { summariesSeenBy } from '#presenters/friend_request_presenter'
import { Visibility } from '#services/safety/visibility'
import { toPage } from '#helpers/page'
import { optionalViewer, wantsJson } from '#helpers/request'

@inject()
export default class PeopleController {
  constructor(
    private people: PeopleSearch,
    private friendships: FriendshipsService,
    private visibility: Visibility
  ) {}

  /**
   * GET /api/users?q= and GET /people?q=: people whose username, first or
   * last name starts with `q`; the newest members without it; never
   * someone a block stands between. The page shows each with the
   * signed-in viewer's friend button.
   */
  async index(ctx: HttpContext) {
    const { q, ...page } = await ctx.request.validateUsing(peopleSearchValidator)
    const rows = await this.people.search(q, page)
    const json = wantsJson(ctx)
    const viewer = await optionalViewer(ctx)
    const seen = summariesSeenBy(await this.visibility.lens(viewer))
    const found = await toPage(rows, page, json ? '/api/users' : '/people', seen, { q })
    if (json) return found

    const relations = viewer
      ? await this.friendships.relations(
          viewer.id,
          found.data.map((person) => person.id)
        )
      : null
    return ctx.view.render('pages/people/index', { q, people: found, relations })
  }
}
