import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Profile from '#models/profile'
import { ProfilePicture } from '#services/profile_picture'

export interface ProfileChanges {
  /** undefined leaves the bio alone; null or '' clears it. */
  bio?: string | null
  picture?: MultipartFile
}

@inject()
export class ProfileService {
  constructor(private pictures: ProfilePicture) {}

  /**
   * Applies the changes; a replaced picture file is removed only once the
   * new one is saved, and a new file is removed again if saving fails.
   * 'user.updated' follows the commit: the profile is part of user data.
   */
  async update(profile: Profile, changes: ProfileChanges) {
    if (changes.bio !== undefined) {
      profile.bio = changes.bio ?? ''
    }

    const previousPicture = profile.profilePicture
    const newPicture = changes.picture ? await this.pictures.store(changes.picture) : null
    if (newPicture) {
      profile.profilePicture = newPicture
    }

    try {
      await db.transaction((trx) => profile.useTransaction(trx).save())
    } catch (error) {
      await this.pictures.remove(newPicture)
      throw error
    }

    await emitter.emit('user.updated', { userId: profile.userId })
    if (newPicture) {
      await this.pictures.remove(previousPicture)
    }
    return profile
  }
}
