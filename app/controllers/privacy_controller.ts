import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { BlocksService } from '#services/safety/blocks_service'
import { PrivacySettings } from '#services/safety/privacy_settings'
import { presentSummaries } from '#presenters/friend_request_presenter'
import { privacySettingsValidator } from '#validators/safety'
import { pageValidator } from '#validators/page'
import { toPage } from '#helpers/page'

/** GET|POST /settings/privacy: who sees what by default, and the people blocked. */
@inject()
export default class PrivacyController {
  constructor(
    private blocks: BlocksService,
    private settings: PrivacySettings
  ) {}

  async show({ auth, request, view }: HttpContext) {
    const user = auth.getUserOrFail()
    const page = await request.validateUsing(pageValidator)
    const rows = await this.blocks.blockedIds(user.id, page)
    const blocked = await toPage(rows, page, router.makeUrl('settings.privacy'), presentSummaries)
    return view.render('pages/accounts/privacy', { user, blocked, firstPage: !page.before })
  }

  async update({ auth, request, response, session }: HttpContext) {
    const changes = await request.validateUsing(privacySettingsValidator)
    await this.settings.update(auth.getUserOrFail(), changes)
    session.flash('success', 'Your privacy settings are saved')
    return response.redirect().toRoute('settings.privacy')
  }
}
