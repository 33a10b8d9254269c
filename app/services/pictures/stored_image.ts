import { randomUUID } from 'node:crypto'
import sharp, { type Metadata, type OutputInfo } from 'sharp'
import { Mutex } from 'async-mutex'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type { ImageKind } from '#config/uploads'
import UploadRejectedException from '#exceptions/upload_rejected_exception'

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif'])

/**
 * One decode at a time in this process. sharp holds a thread of libuv's
 * pool for each image it works on, the pool argon2 hashes passwords on:
 * four large images at once made other people's sign-ins wait seconds. One
 * at a time leaves the other threads to them, and bounds memory to one
 * image's pixels.
 */
const decoding = new Mutex()

/** WebP qualities tried in turn, until the file is no larger than the upload. */
const QUALITIES = [82, 70, 55]

/** The first WebP no larger than the upload, or the smallest of them. */
async function smallestWebp(pixels: Buffer, raw: OutputInfo, inputBytes: number) {
  let smallest: Buffer | undefined
  for (const quality of QUALITIES) {
    const webp = await sharp(pixels, { raw }).webp({ quality }).toBuffer()
    if (!smallest || webp.length < smallest.length) smallest = webp
    if (webp.length <= inputBytes) break
  }
  return smallest!
}

/**
 * Turns an uploaded file into a stored image of one kind (a profile
 * picture, a post's image). The content decides, never the client's name or
 * type: the file must be JPEG, PNG, WebP or GIF within the header limits
 * of its kind; it is decoded, one at a time, and re-encoded as WebP no
 * larger than its kind's size (and than the upload, where a quality allows),
 * which drops EXIF (GPS included) and anything smuggled after the image
 * data, and stored under a generated key.
 */
export class StoredImage {
  constructor(protected kind: ImageKind) {}

  async store(file: MultipartFile): Promise<string> {
    if (file.size > this.kind.maxBytes) {
      throw UploadRejectedException.tooLarge(this.kind)
    }
    if (!file.tmpPath) {
      throw this.#notAnImage()
    }

    return this.storeImage(file.tmpPath, file.size)
  }

  /** An image already at hand (a file's path or its bytes; the demo world's drawings), the same way. */
  async storeImage(input: string | Buffer, inputBytes: number): Promise<string> {
    const image = await this.#encode(input, inputBytes)
    const key = `${this.kind.folder}/${randomUUID()}.webp`
    await drive.use().put(key, image, { contentType: 'image/webp' })
    return key
  }

  async remove(key: string | null) {
    if (key) {
      await drive.use().delete(key)
    }
  }

  async #encode(path: string | Buffer, inputBytes: number) {
    const { maxInputPixels, size, fit } = this.kind
    // A decode that never ends would hold the queue below for everyone.
    const input = sharp(path, { limitInputPixels: maxInputPixels, failOn: 'error' }).timeout({
      seconds: 20,
    })

    let metadata: Metadata
    try {
      metadata = await input.metadata()
    } catch (error) {
      throw /pixel limit/i.test(error.message) ? this.#tooManyPixels() : this.#notAnImage()
    }
    this.#checkHeader(metadata)

    return decoding.runExclusive(async () => {
      try {
        // Decoded and resized once; the encodings below start from these pixels.
        const { data, info } = await input
          .rotate()
          .resize(size, size, { fit, withoutEnlargement: fit === 'inside' })
          .raw()
          .toBuffer({ resolveWithObject: true })
        return await smallestWebp(data, info, inputBytes)
      } catch {
        throw this.#notAnImage()
      }
    })
  }

  /** What the header alone refuses (config/uploads.ts): no pixel is decoded for it. */
  #checkHeader({ format, width = 0, height = 0, depth, isProgressive }: Metadata) {
    if (!format || !ACCEPTED_FORMATS.has(format)) {
      throw this.#notAnImage()
    }
    const pixels = width * height
    if (pixels > this.kind.maxInputPixels) {
      throw this.#tooManyPixels()
    }
    if (depth !== 'uchar') {
      throw this.#refused('must have 8 bits per colour channel (not 16)', 'file.depth')
    }
    if (format === 'png' && isProgressive && pixels > this.kind.maxInterlacedPixels) {
      const megapixels = this.kind.maxInterlacedPixels / 1_000_000
      throw this.#refused(
        `must be at most ${megapixels} megapixels when it is an interlaced PNG`,
        'file.interlaced'
      )
    }
  }

  #tooManyPixels() {
    const megapixels = this.kind.maxInputPixels / 1_000_000
    return this.#refused(`must be at most ${megapixels} megapixels`, 'file.dimensions')
  }

  #notAnImage() {
    return this.#refused('must be a JPEG, PNG, WebP or GIF image', 'file.image')
  }

  #refused(mustBe: string, rule: string) {
    return new UploadRejectedException(
      `The ${this.kind.label} ${mustBe}`,
      this.kind.field,
      rule,
      422
    )
  }
}
