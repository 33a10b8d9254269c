import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { S3Client, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { s3Options, type S3Settings } from '#config/drive'
import { ChildService, freePort } from './processes.js'

const require = createRequire(import.meta.url)

/**
 * s3rver (npm), an S3-compatible server, on a free port of 127.0.0.1 with its
 * objects in a folder of its own, as a child process of the tests. It signs
 * with fixed credentials (S3RVER / S3RVER) and wants path-style addresses.
 */
export class S3TestServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly process: ChildService
  ) {}

  static async start() {
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-s3-'))
    const port = await freePort()
    const bin = join(require.resolve('s3rver/package.json'), '../bin/s3rver.js')
    const child = ChildService.start('s3rver', process.execPath, [
      bin,
      '--directory',
      dir,
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--silent',
    ])
    const server = new S3TestServer(dir, port, child)
    try {
      await child.waitForPort(port)
    } catch (error) {
      await server.stop()
      throw error
    }
    return server
  }

  settings(bucket: string): S3Settings {
    return {
      endpoint: `http://127.0.0.1:${this.port}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    }
  }

  /** The app's settings (start/env.ts) for DRIVE_DISK=s3 on `bucket`. */
  env(bucket: string): NodeJS.ProcessEnv {
    const settings = this.settings(bucket)
    return {
      DRIVE_DISK: 's3',
      S3_ENDPOINT: settings.endpoint,
      S3_REGION: settings.region,
      S3_BUCKET: settings.bucket,
      S3_ACCESS_KEY_ID: settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
      S3_FORCE_PATH_STYLE: String(settings.forcePathStyle),
    }
  }

  /** A client for the tests' own look at the bucket, with the app's options. */
  client(bucket: string) {
    return new S3Client(s3Options(this.settings(bucket)))
  }

  /** Every key in the bucket, as the S3 API lists them. */
  async keys(bucket: string) {
    const client = this.client(bucket)
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
      return (listed.Contents ?? []).map((object) => object.Key!).sort()
    } finally {
      client.destroy()
    }
  }

  /** An object's bytes, straight from the bucket. */
  async object(bucket: string, key: string) {
    const client = this.client(bucket)
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return Buffer.from(await object.Body!.transformToByteArray())
    } finally {
      client.destroy()
    }
  }

  async stop() {
    await this.process.stop()
    await rm(this.dir, { recursive: true, force: true })
  }
}
