import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Profile from '#models/profile'
import { ProfilePicture } from '#services/pictures/profile_picture'

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

    const newPicture = changes.picture ? await this.pictures.store(changes.picture) : null
    let previousPicture: string | null = null
    try {
      await db.transaction(async (trx) => {
        // The row as it is now, locked: the account may have been deleted
        // while the picture was processed (404), or a picture saved meanwhile.
        const current = await Profile.query({ client: trx })
          .where('id', profile.id)
          .forUpdate()
          .firstOrFail()
        previousPicture = current.profilePicture
        if (newPicture) profile.profilePicture = newPicture
        await profile.useTransaction(trx).save()
      })
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
