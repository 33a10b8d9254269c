import { randomUUID } from 'node:crypto'
import sharp, { type Metadata } from 'sharp'
import drive from '@adonisjs/drive/services/main'
import string from '@adonisjs/core/helpers/string'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import uploadsConfig from '#config/uploads'
import UploadRejectedException from '#exceptions/upload_rejected_exception'

const FIELD = 'profile_picture'
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif'])

/**
 * Turns an uploaded file into a stored profile picture. The content decides,
 * never the client's name or type: the file must decode as JPEG, PNG, WebP
 * or GIF within a pixel budget; it is re-encoded as a square WebP, which
 * drops EXIF (GPS included) and anything smuggled after the image data,
 * and stored under a generated key.
 */
export class ProfilePicture {
  #config = uploadsConfig.profilePicture

  async store(file: MultipartFile): Promise<string> {
    if (file.size > this.#config.maxBytes) {
      const limit = string.bytes.format(this.#config.maxBytes)
      throw new UploadRejectedException(
        `The profile picture must be at most ${limit}`,
        FIELD,
        'file.size',
        413
      )
    }
    if (!file.tmpPath) {
      throw this.#notAnImage()
    }

    const image = await this.#encode(file.tmpPath)
    const key = `profile_pics/${randomUUID()}.webp`
    await drive.use().put(key, image, { contentType: 'image/webp' })
    return key
  }

  async remove(key: string | null) {
    if (key) {
      await drive.use().delete(key)
    }
  }

  async #encode(path: string) {
    const { maxInputPixels, size } = this.#config
    const input = sharp(path, { limitInputPixels: maxInputPixels, failOn: 'error' })

    let metadata: Metadata
    try {
      metadata = await input.metadata()
    } catch (error) {
      throw /pixel limit/i.test(error.message) ? this.#tooManyPixels() : this.#notAnImage()
    }
    if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
      throw this.#notAnImage()
    }
    if ((metadata.width ?? 0) * (metadata.height ?? 0) > maxInputPixels) {
      throw this.#tooManyPixels()
    }

    try {
      return await input
        .rotate()
        .resize(size, size, { fit: 'cover' })
        .webp({ quality: 82 })
        .toBuffer()
    } catch {
      throw this.#notAnImage()
    }
  }

  #tooManyPixels() {
    const megapixels = this.#config.maxInputPixels / 1_000_000
    return new UploadRejectedException(
      `The profile picture must be at most ${megapixels} megapixels`,
      FIELD,
      'file.dimensions',
      422
    )
  }

  #notAnImage() {
    return new UploadRejectedException(
      'The profile picture must be a JPEG, PNG, WebP or GIF image',
      FIELD,
      'file.image',
      422
    )
  }
}
