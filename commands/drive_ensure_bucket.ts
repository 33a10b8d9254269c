import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

type S3Error = Error & { $metadata?: { httpStatusCode?: number }; Code?: string }

/** 409s that mean "it is there": ours already, or created by a release running beside us. */
const ALREADY_THERE = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'])

/**
 * The release step's part for uploads: with DRIVE_DISK=s3 the bucket must
 * exist before the app stores a picture. Creates it when missing; safe to
 * run again and on several machines at once.
 */
export default class DriveEnsureBucket extends BaseCommand {
  static commandName = 'drive:ensure-bucket'
  static description = 'Create the uploads bucket (DRIVE_DISK=s3) if it does not exist yet'
  static help = [
    'Reads S3_* from the environment (README, Scale-out):',
    '  node ace drive:ensure-bucket',
  ]
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: env } = await import('#start/env')
    if (env.get('DRIVE_DISK') !== 's3') {
      this.logger.info('DRIVE_DISK=fs: uploads live in storage/, there is no bucket to create')
      return
    }

    const { s3Options, s3Settings } = await import('#config/drive')
    const { S3Client, HeadBucketCommand, CreateBucketCommand } = await import('@aws-sdk/client-s3')
    const bucket = s3Settings.bucket
    const where = s3Settings.endpoint ?? `AWS (${s3Settings.region})`
    const client = new S3Client(s3Options(s3Settings))
    try {
      // HEAD answers 404 for a missing bucket; anything else is an error to show.
      const found = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => true,
        (error: S3Error) => {
          if (error.$metadata?.httpStatusCode === 404) return false
          throw error
        }
      )
      if (found) {
        this.logger.success(`Bucket "${bucket}" exists at ${where}`)
        return
      }
      await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: S3Error) => {
        if (!ALREADY_THERE.has(error.name)) throw error
      })
      this.logger.success(`Created bucket "${bucket}" at ${where}`)
    } catch (error) {
      this.logger.error(`Cannot create bucket "${bucket}" at ${where}: ${reason(error as S3Error)}`)
      this.exitCode = 1
    } finally {
      client.destroy()
    }
  }
}

/** HEAD answers carry no body: a 403 says no more than "UnknownError" by itself. */
function reason({ message, name, $metadata }: S3Error) {
  const status = $metadata?.httpStatusCode
  if (status === 403) {
    return 'access denied (HTTP 403): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY'
  }
  return `${message || name}${status ? ` (HTTP ${status})` : ''}`
}
