import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'

/**
 * Uploads are served at /media/<key> from the default disk by the app
 * (MediaController), whichever disk that is; with `fs`, Nginx serves the
 * files it finds in storage/ itself and hands the rest to the app.
 */
export const MEDIA_URL_PREFIX = '/media'

export interface S3Settings {
  /** Unset for AWS itself: the SDK derives the endpoint from the region. */
  endpoint?: string
  region: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** MinIO and most S3-compatible servers want /bucket/key, not bucket.host/key. */
  forcePathStyle: boolean
}

/** The bucket of DRIVE_DISK=s3 (start/env.ts requires its settings then). */
export const s3Settings: S3Settings = {
  endpoint: env.get('S3_ENDPOINT') || undefined,
  region: env.get('S3_REGION', ''),
  bucket: env.get('S3_BUCKET', ''),
  accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
  secretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
  forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
}

/**
 * The S3 client and disk options, shared by the disk, `node ace
 * drive:ensure-bucket` and the tests. The bucket stays private: only the
 * app reads it, so no object needs an ACL.
 */
export function s3Options({ bucket, accessKeyId, secretAccessKey, ...client }: S3Settings) {
  return {
    ...client,
    credentials: { accessKeyId, secretAccessKey },
    // The SDK's default sends uploads as aws-chunked bodies with a trailing
    // CRC32, which several S3-compatible servers store as is (corrupted):
    // checksums only where the operation demands one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    bucket,
    visibility: 'private',
    supportsACL: false,
  } satisfies Parameters<typeof services.s3>[0]
}

const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK'),

  services: {
    fs: services.fs({
      location: app.makePath('storage'),
      serveFiles: false,
      visibility: 'public',
    }),
    // Only when it is the disk: the AWS SDK costs each process about 30 MB and
    // a quarter of a second at boot.
    ...(env.get('DRIVE_DISK') === 's3' && { s3: services.s3(s3Options(s3Settings)) }),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
