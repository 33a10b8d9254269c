import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import NotFoundException from '#exceptions/not_found_exception'

/** Only pictures leave the disk, typed by their extension alone (as Nginx does). */
const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
}

/** `profile_pics/<uuid>.webp`: plain segments, one extension; nothing that climbs. */
const KEY = /^(?:[\w-]+\/)*[\w-]+\.(\w+)$/

/**
 * Serves an upload from the default Drive disk at /media/<key>: the same
 * answer from every app replica, whether the disk is this machine's folder
 * (fs) or a bucket they share (s3). A key is written once and never
 * overwritten (a new picture gets a new key), so browsers and proxies may
 * keep a copy for a week without asking again.
 */
export default class MediaController {
  async show({ params, request, response }: HttpContext) {
    const key = (params['*'] as string[]).join('/')
    const type = IMAGE_TYPES[KEY.exec(key)?.[1].toLowerCase() ?? '']
    if (!type) {
      throw NotFoundException.saying('No such file')
    }

    const file = drive.use().file(key)
    const metadata = await orNotFound(file.getMetaData())

    // Lower-case names: response.fresh() reads etag and last-modified as such.
    response.header('content-type', type)
    response.header('cache-control', 'public, max-age=604800, immutable')
    response.header('etag', metadata.etag)
    response.header('last-modified', metadata.lastModified.toUTCString())
    response.header('x-content-type-options', 'nosniff')
    response.header('content-security-policy', "default-src 'none'; sandbox")
    if (response.fresh()) {
      return response.status(304)
    }
    response.header('content-length', metadata.contentLength)
    if (request.method() === 'HEAD') {
      return response.status(200)
    }
    return response.stream(await orNotFound(file.getStream()))
  }
}

type DriveError = { cause?: { code?: string; $metadata?: { httpStatusCode?: number } } }

/** No such key (ENOENT from the fs disk, a 404 from the bucket) is a 404; the rest stays an error. */
async function orNotFound<T>(read: Promise<T>) {
  try {
    return await read
  } catch (error) {
    const { cause } = error as DriveError
    const missing = cause?.code === 'ENOENT' || cause?.$metadata?.httpStatusCode === 404
    throw missing ? NotFoundException.saying('No such file') : error
  }
}
