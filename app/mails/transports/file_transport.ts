import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import logger from '@adonisjs/core/services/logger'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

/**
 * Development transport: writes each message as an .eml file (open it in
 * any mail client) and logs where, so a fresh machine needs no SMTP server.
 */
export class FileTransport implements MailTransportContract {
  #transport = nodemailer.createTransport({ streamTransport: true, buffer: true })

  constructor(private directory: string) {}

  async send(message: NodeMailerMessage) {
    const info = await this.#transport.sendMail(message)
    await mkdir(this.directory, { recursive: true })
    const name = `${Date.now()}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`
    const path = join(this.directory, name)
    await writeFile(path, info.message as Buffer)
    logger.info({ path, to: info.envelope.to }, 'mail written to disk')
    return new MailResponse(info.messageId, info.envelope, info)
  }
}

export function fileTransport(config: { directory: string }) {
  return () => new FileTransport(config.directory)
}
