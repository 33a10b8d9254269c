import uploadsConfig from '#config/uploads'
import { StoredImage } from '#services/pictures/stored_image'

/** A post's picture: a WebP at most 1600 px a side under post_images/. */
export class PostImage extends StoredImage {
  constructor() {
    super(uploadsConfig.postImage)
  }
}
