import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Profile from '#models/profile'
import ProfilePolicy from '#policies/profile_policy'
import { ProfileService } from '#services/users/profile_service'
import { BIO_MAX_LENGTH, updateProfileValidator } from '#validators/profile'
import uploadsConfig from '#config/uploads'
import string from '@adonisjs/core/helpers/string'
import { wantsJson } from '#helpers/request'

export default class ProfilesController {
  async edit(ctx: HttpContext) {
    const { params, bouncer, view } = ctx
    const profile = await Profile.findOrFail(params.id)
    await bouncer.with(ProfilePolicy).authorize('update', profile)
    return view.render('pages/profiles/edit', {
      profile,
      maxSize: string.bytes.format(uploadsConfig.profilePicture.maxBytes, { unitSeparator: ' ' }),
      bioMaxLength: BIO_MAX_LENGTH,
    })
  }

  /**
   * PUT /profiles/:id (form) and PATCH|PUT /api/profiles/:id (multipart).
   */
  @inject()
  async update(ctx: HttpContext, profiles: ProfileService) {
    const profile = await Profile.findOrFail(ctx.params.id)
    await ctx.bouncer.with(ProfilePolicy).authorize('update', profile)

    const { bio, profile_picture: picture } =
      await ctx.request.validateUsing(updateProfileValidator)
    await profiles.update(profile, { bio, picture })

    if (wantsJson(ctx)) {
      return profile.serialize()
    }
    ctx.session.flash('success', 'Your profile is updated')
    return ctx.response.redirect().toRoute('users.show', { id: profile.userId })
  }
}
