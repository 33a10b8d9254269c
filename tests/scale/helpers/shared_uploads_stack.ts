import { BuiltApp } from '#tests/integration/helpers/built_app'
import { NginxUnderTest } from '#tests/integration/helpers/nginx'
import { S3TestServer } from '#tests/integration/helpers/s3_server'
import User from '#models/user'
import { AppFleet } from './app_fleet.js'

export const BUCKET = 'gsocial-scale'

/**
 * Uploads on many machines: two built app replicas and a built worker that
 * share nothing but the database, Redis and an S3 bucket (s3rver), behind the
 * repository's Nginx config with a media folder of its own (empty, as on a
 * machine that never received an upload). The bucket is created the way the
 * release step creates it.
 */
export class SharedUploadsStack {
  fleet!: AppFleet
  nginx!: NginxUnderTest

  private constructor(readonly s3: S3TestServer) {}

  static async start() {
    const [s3] = await Promise.all([S3TestServer.start(), BuiltApp.build()])
    const stack = new SharedUploadsStack(s3)
    try {
      await stack.#start()
    } catch (error) {
      await stack.stop()
      throw error
    }
    return stack
  }

  async #start() {
    const env = this.s3.env(BUCKET)
    await BuiltApp.ace(['drive:ensure-bucket'], env)
    this.fleet = await AppFleet.start(env)
    const [first, second] = this.replicas
    this.nginx = await NginxUnderTest.start({
      // The helper writes one `server` line: the second replica joins it.
      upstream: `${first.address};\n    server ${second.address}`,
    })
  }

  get replicas() {
    return this.fleet.replicas
  }

  /** A bearer token for the user, as POST /api/auth/login would give. */
  static async tokenFor(user: User) {
    const token = await User.accessTokens.create(user)
    return token.value!.release()
  }

  async stop() {
    await this.nginx?.stop()
    await this.fleet?.stop()
    await this.s3.stop()
  }
}
