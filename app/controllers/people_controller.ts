import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { PeopleSearch, searchTerm } from '#services/users/people_search'
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
   * signed-in viewer's friend button; a search it cannot run (too long) is
   * the page again with the message beside the box.
   */
  async index(ctx: HttpContext) {
    const json = wantsJson(ctx)
    const [error, input] = await peopleSearchValidator.tryValidate(ctx.request.qs())
    if (error) {
      if (json) throw error
      const html = await ctx.view.render('pages/people/index', {
        // What was typed, back in the box; `?q[a]=1` typed no text.
        q: typeof ctx.request.input('q') === 'string' ? ctx.request.input('q') : '',
        errors: error.messages.map(({ message }: { message: string }) => message),
      })
      return ctx.response.status(422).type('html').send(html)
    }
    const { q, ...page } = input
    const rows = await this.people.search(q, page)
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
    return ctx.view.render('pages/people/index', {
      q,
      searching: searchTerm(q) !== '',
      people: found,
      relations,
    })
  }
}
