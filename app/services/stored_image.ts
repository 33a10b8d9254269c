import { randomUUID } from 'node:crypto'
import sharp, { type Metadata } from 'sharp'
import drive from '@adonisjs/drive/services/main'
import string from '@adonisjs/core/helpers/string'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type { ImageKind } from '#config/uploads'
import UploadRejectedException from '#exceptions/upload_rejected_exception'

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif'])

/**
 * Turns an uploaded file into a stored image of one kind (a profile
 * picture, a post's image). The content decides, never the client's name or
 * type: the file must decode as JPEG, PNG, WebP or GIF within a pixel
 * budget; it is re-encoded as WebP, which drops EXIF (GPS included) and
 * anything smuggled after the image data, and stored under a generated key.
 */
export class StoredImage {
  constructor(protected kind: ImageKind) {}

  async store(file: MultipartFile): Promise<string> {
    if (file.size > this.kind.maxBytes) {
      const limit = string.bytes.format(this.kind.maxBytes)
      throw new UploadRejectedException(
        `The ${this.kind.label} must be at most ${limit}`,
        this.kind.field,
        'file.size',
        413
      )
    }
    if (!file.tmpPath) {
      throw this.#notAnImage()
    }

    const image = await this.#encode(file.tmpPath)
    const key = `${this.kind.folder}/${randomUUID()}.webp`
    await drive.use().put(key, image, { contentType: 'image/webp' })
    return key
  }

  async remove(key: string | null) {
    if (key) {
      await drive.use().delete(key)
    }
  }

  async #encode(path: string) {
    const { maxInputPixels, size, fit } = this.kind
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
        .resize(size, size, { fit, withoutEnlargement: fit === 'inside' })
        .webp({ quality: 82 })
        .toBuffer()
    } catch {
      throw this.#notAnImage()
    }
  }

  #tooManyPixels() {
    const megapixels = this.kind.maxInputPixels / 1_000_000
    return new UploadRejectedException(
      `The ${this.kind.label} must be at most ${megapixels} megapixels`,
      this.kind.field,
      'file.dimensions',
      422
    )
  }

  #notAnImage() {
    return new UploadRejectedException(
      `The ${this.kind.label} must be a JPEG, PNG, WebP or GIF image`,
      this.kind.field,
      'file.image',
      422
    )
  }
}
