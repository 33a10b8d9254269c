import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { PeopleSearch, searchTerm } from '#services/users/people_search'
import { FriendshipsService } from '#services/friends/friendships_service'
import { peopleSearchValidator } from '#validators/friend_request'
import { presentSummaries } from '#presenters/friend_request_presenter'
import { toPage } from '#helpers/page'
import { wantsJson } from '#helpers/request'

@inject()
export default class PeopleController {
  constructor(
    private people: PeopleSearch,
    private friendships: FriendshipsService
  ) {}

  /**
   * GET /api/users?q= and GET /people?q=: people whose username, first or
   * last name starts with `q`; the newest members without it. The page
   * shows each with the signed-in viewer's friend button; a search it
   * cannot run (too long) is the page again with the message beside the box.
   */
  async index(ctx: HttpContext) {
    const json = wantsJson(ctx)
    const [error, input] = await peopleSearchValidator.tryValidate(ctx.request.qs())
    if (error) {
      if (json) throw error
      const html = await ctx.view.render('pages/people/index', {
        q: String(ctx.request.input('q') ?? ''),
        errors: error.messages.map(({ message }: { message: string }) => message),
      })
      return ctx.response.status(422).type('html').send(html)
    }
    const { q, ...page } = input
    const rows = await this.people.search(q, page)
    const found = await toPage(rows, page, json ? '/api/users' : '/people', presentSummaries, { q })
    if (json) return found

    const viewer = ctx.auth.user
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
