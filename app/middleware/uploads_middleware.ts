import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import uploadsConfig, { type ImageKind, type ImageKindName } from '#config/uploads'
import UploadRejectedException from '#exceptions/upload_rejected_exception'
import { counted } from '#helpers/text'

interface Upload {
  field: string
  path: string
  part: Readable
  written: Promise<void>
}

/**
 * Reads the files of a multipart body, on the routes that accept uploads
 * only and after `auth` (config/bodyparser.ts parses no multipart body by
 * itself): a stranger's files never reach the disk. At most `maxFiles`
 * files (413 beyond), within the body parser's size limit, and every
 * temporary file is deleted when the request ends, whatever happened.
 * A body that cannot be read is a form error (413 too large, said of the
 * route's picture `kind`; 400 otherwise), never a status page: those need
 * CSRF, which is set up only after this.
 *
 * `router.put(...).use([middleware.auth(), middleware.uploads({ maxFiles: 1, kind: 'profilePicture' })])`
 */
export default class UploadsMiddleware {
  async handle({ request }: HttpContext, next: NextFn, options: UploadsOptions) {
    const multipart = request.is(['multipart']) ? request.multipart : undefined
    if (!multipart || multipart.state !== 'idle') {
      return next()
    }

    const maxFiles = options.maxFiles ?? 1
    const uploads: Upload[] = []
    multipart.onFile('*', { deferValidations: true }, async (part, reportChunk) => {
      if (uploads.length >= maxFiles) {
        part.resume()
        multipart.abort(
          new UploadRejectedException(
            `Send at most ${counted(maxFiles, 'file')}`,
            part.name,
            'file.count',
            413
          )
        )
        return
      }
      const path = join(tmpdir(), `gsocial-upload-${randomUUID()}`)
      part.pause()
      part.on('data', reportChunk)
      const written = pipeline(part, createWriteStream(path))
      uploads.push({ field: part.name, path, part, written })
      await written
      return { tmpPath: path }
    })

    try {
      await multipart.process().catch((error) => {
        throw unreadable(error, uploadsConfig[options.kind])
      })
      return await next()
    } finally {
      // An aborted body can leave a part half-read: end it, wait for its
      // file to close, then remove every file.
      for (const upload of uploads) upload.part.destroy()
      await Promise.allSettled(uploads.map((upload) => upload.written))
      await Promise.all(uploads.map((upload) => unlink(upload.path).catch(() => {})))
    }
  }
}

export interface UploadsOptions {
  maxFiles?: number
  /** The picture the route takes: a body over the limit is said to be too large a one. */
  kind: ImageKindName
}

/**
 * Why a multipart body could not be read, as a form error. The body parser
 * says E_REQUEST_ENTITY_TOO_LARGE for a body over its limit (the picture
 * in it, on these routes) and, in other words, for too many or too large
 * text fields.
 */
function unreadable(error: { code?: string; message?: string }, kind: ImageKind) {
  if (error instanceof UploadRejectedException) return error
  if (error.code === 'E_REQUEST_ENTITY_TOO_LARGE') {
    return /^Fields (length limit|size in bytes) exceeded$/.test(error.message ?? '')
      ? UploadRejectedException.tooManyFields()
      : UploadRejectedException.tooLarge(kind)
  }
  return UploadRejectedException.unreadable()
}
