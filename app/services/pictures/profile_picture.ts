import uploadsConfig from '#config/uploads'
import { StoredImage } from '#services/pictures/stored_image'

/** Profile pictures: a 512 px square WebP under profile_pics/. */
export class ProfilePicture extends StoredImage {
  constructor() {
    super(uploadsConfig.profilePicture)
  }
}
