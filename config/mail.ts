import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, transports } from '@adonisjs/mail'
import { fileTransport } from '#mails/transports/file_transport'

/**
 * Passed through to nodemailer (the typings omit them): a stuck SMTP server
 * fails the send, and the job retries, instead of hanging it.
 */
const smtpTimeouts = { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15000 }

const mailConfig = defineConfig({
  default: env.get('MAIL_TRANSPORT'),

  from: {
    address: env.get('MAIL_FROM_ADDRESS'),
    name: env.get('MAIL_FROM_NAME'),
  },

  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST'),
      port: env.get('SMTP_PORT'),
      secure: env.get('SMTP_SECURE', false),
      auth: env.get('SMTP_USERNAME')
        ? { type: 'login', user: env.get('SMTP_USERNAME')!, pass: env.get('SMTP_PASSWORD', '') }
        : undefined,
      // Pooled connections avoid a TCP and SMTP handshake per email. SMTP
      // sends one message at a time per connection, so the pool matches the
      // worker's 50 jobs at once: with 10 it was the bound (npm run bench:
      // 194 -> 342 emails/s). Lower it for a relay that limits connections.
      pool: true,
      maxConnections: env.get('SMTP_POOL_SIZE', 50),
      ...smtpTimeouts,
    }),

    /** Development without an SMTP server: messages land in tmp/mails. */
    file: fileTransport({ directory: app.tmpPath('mails') }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
