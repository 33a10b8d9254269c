import env from '#start/env'
import string from '@adonisjs/core/helpers/string'

/**
 * One kind of stored image: what the form field is called, where files go,
 * and how the re-encoded copy is sized.
 */
export interface ImageKind {
  /** The form field, named in error messages. */
  field: string
  /** How error messages call it ("The post image must be…"). */
  label: string
  /** Folder on the Drive disk. */
  folder: string
  /** Larger files are refused with 413. Keep Nginx's client_max_body_size above it. */
  maxBytes: number
  /** Refuse images over this many pixels before decoding (decompression bombs). */
  maxInputPixels: number
  /** Refuse interlaced PNGs over this many pixels: their decoder holds the whole image. */
  maxInterlacedPixels: number
  /** `cover`: a square `size` px a side; `inside`: the longest side at most `size` px. */
  fit: 'cover' | 'inside'
  size: number
}

/**
 * What the header of any picture may say (CONTRACT.md "Strangers"); images
 * with 16 bits per channel are refused too. Checked before decoding.
 */
const pixelLimits = { maxInputPixels: 25_000_000, maxInterlacedPixels: 4_000_000 }

const uploadsConfig = {
  profilePicture: {
    field: 'profile_picture',
    label: 'profile picture',
    folder: 'profile_pics',
    maxBytes: string.bytes.parse(env.get('PROFILE_PICTURE_MAX_SIZE', '2mb')) as number,
    ...pixelLimits,
    fit: 'cover',
    size: 512,
  } satisfies ImageKind,

  postImage: {
    field: 'image',
    label: 'image',
    folder: 'post_images',
    // The same ceiling as profile pictures: Nginx's 3 MB body limit covers both.
    maxBytes: string.bytes.parse(env.get('POST_IMAGE_MAX_SIZE', '2mb')) as number,
    ...pixelLimits,
    fit: 'inside',
    size: 1600,
  } satisfies ImageKind,
}

export type ImageKindName = keyof typeof uploadsConfig

export default uploadsConfig
