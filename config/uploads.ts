import env from '#start/env'
import string from '@adonisjs/core/helpers/string'

const uploadsConfig = {
  profilePicture: {
    /** Larger files are refused with 413. Keep Nginx's client_max_body_size above it. */
    maxBytes: string.bytes.parse(env.get('PROFILE_PICTURE_MAX_SIZE', '2mb')) as number,
    /** Refuse images over this many pixels before decoding (decompression bombs). */
    maxInputPixels: 25_000_000,
    /** Stored as a square WebP of this many pixels a side. */
    size: 512,
  },
}

export default uploadsConfig
