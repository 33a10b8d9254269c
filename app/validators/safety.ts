import vine from '@vinejs/vine'
import { AUDIENCES } from '#models/user'

/** "public" or "friends": a post's audience, a default audience, who sees a friend list. */
export const audienceRule = () => vine.enum(AUDIENCES)

/** PATCH /api/me and the privacy settings form: either or both settings. */
export const privacySettingsValidator = vine.compile(
  vine.object({
    default_audience: audienceRule().optional(),
    friends_visible: audienceRule().optional(),
  })
)
