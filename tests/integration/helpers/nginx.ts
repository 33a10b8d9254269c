import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { ChildService, freePort, run } from './processes.js'

/** Debian's nginx; NGINX_BIN points elsewhere. */
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx'

/**
 * The production server block, nginx/conf.d/default.conf, with only what ties it
 * to Docker swapped for loopback: the listening port, the app's address and the
 * web root. Its `include snippets/gsocial.conf` stays as is and reaches the real
 * nginx/snippets through a link beside the main config.
 */
export async function productionServerBlock(options: {
  port: number
  upstream: string | string[]
  root: string
}) {
  let text = await readFile(app.makePath('nginx/conf.d/default.conf'), 'utf8')
  const swap = (from: string, to: string) => {
    const count = text.split(from).length - 1
    if (count !== 1) {
      throw new Error(
        `Expected "${from}" once in nginx/conf.d/default.conf, found it ${count} times`
      )
    }
    text = text.replace(from, to)
  }
  swap('listen 80 default_server;', `listen 127.0.0.1:${options.port} default_server;`)
  // Each `server app:3333 …;` line (its parameters kept) once per app address,
  // as Docker's DNS answers with one address per replica.
  const replicas = [options.upstream].flat()
  const appServer = /server app:3333([^;]*);/g
  if (!appServer.test(text)) {
    throw new Error('Expected "server app:3333" in nginx/conf.d/default.conf')
  }
  text = text.replace(appServer, (_, parameters) =>
    replicas.map((address) => `server ${address}${parameters};`).join('\n    ')
  )
  swap('root /srv/www;', `root ${options.root};`)
  return text
}

/**
 * What the official image's nginx.conf provides, with every path in our own
 * folder so nginx runs without touching the system's: pid, logs, temp files.
 */
function mainConfig(dir: string) {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${dir}/temp/${kind};`)
    .join('\n')
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
${temp}
  log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr xff="$http_x_forwarded_for"';
  access_log ${dir}/access.log upstream;
  sendfile on;
  keepalive_timeout 65;
  include ${dir}/conf/server.conf;
}
`
}

export interface NginxOptions {
  /** host:port of the app (or a stand-in), or of each of its replicas */
  upstream: string | string[]
  /** files to put under the web root, path → content (e.g. "media/profile_pics/a.webp") */
  files?: Record<string, string | Buffer>
}

/**
 * A real nginx on 127.0.0.1 running the production server block, in a folder of
 * its own, as a child process of the tests.
 */
export class NginxUnderTest {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly process: ChildService | null
  ) {}

  /** Writes the config and web root; `start` runs nginx on them. */
  static async prepare(options: NginxOptions) {
    if (!existsSync(NGINX_BIN)) {
      throw new Error(`nginx not found at ${NGINX_BIN} (apt-get install nginx, or set NGINX_BIN)`)
    }
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-nginx-'))
    // Workers may run as another user when the tests run as root: let them read.
    await chmod(dir, 0o755)
    const port = await freePort()
    const root = join(dir, 'www')

    await mkdir(join(dir, 'conf'), { recursive: true })
    await mkdir(join(dir, 'temp'), { recursive: true })
    await symlink(app.makePath('nginx/snippets'), join(dir, 'conf/snippets'))
    await writeFile(join(dir, 'conf/nginx.conf'), mainConfig(dir))
    await writeFile(
      join(dir, 'conf/server.conf'),
      await productionServerBlock({ port, upstream: options.upstream, root })
    )

    await mkdir(root, { mode: 0o755 })
    for (const [path, content] of Object.entries(options.files ?? {})) {
      await mkdir(dirname(join(root, path)), { recursive: true, mode: 0o755 })
      await writeFile(join(root, path), content, { mode: 0o644 })
    }
    return new NginxUnderTest(dir, port, null)
  }

  static async start(options: NginxOptions) {
    const prepared = await NginxUnderTest.prepare(options)
    const child = ChildService.start('nginx', NGINX_BIN, prepared.#args())
    const nginx = new NginxUnderTest(prepared.dir, prepared.port, child)
    try {
      await child.waitForPort(nginx.port)
    } catch (error) {
      await nginx.stop()
      throw error
    }
    return nginx
  }

  #args() {
    return [
      '-p',
      `${this.dir}/`,
      '-c',
      join(this.dir, 'conf/nginx.conf'),
      '-e',
      join(this.dir, 'error.log'),
    ]
  }

  /** `nginx -t` on this config. */
  test() {
    return run(NGINX_BIN, ['-t', ...this.#args()])
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`
  }

  accessLog() {
    return readFile(join(this.dir, 'access.log'), 'utf8').catch(() => '')
  }

  async stop() {
    await this.process?.stop()
    await rm(this.dir, { recursive: true, force: true })
  }
}
