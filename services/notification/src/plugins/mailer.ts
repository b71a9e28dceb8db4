// The mail transport: nodemailer over SMTP, or, in development, a transport that writes each mail to the log.
import fp from 'fastify-plugin'
import nodemailer, { type Transporter } from 'nodemailer'
import type { FastifyInstance } from 'fastify'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html: string
  messageId: string
}

export interface Mailer {
  send: (mail: OutgoingMail) => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer
  }
}

export interface MailerOptions {
  mode: 'console' | 'smtp'
  smtpUrl?: string
  from: string
  timeoutMs: number
}

export const mailerPlugin = fp(async (app: FastifyInstance, options: MailerOptions) => {
  let transport: Transporter | undefined
  if (options.mode === 'smtp') {
    transport = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs
    } as unknown as Parameters<typeof nodemailer.createTransport>[0])
  }
  const mailer: Mailer = {
    send: async (mail) => {
      const message = { from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId }
      if (transport === undefined) {
        app.log.info({ mail: { to: mail.to, subject: mail.subject, messageId: mail.messageId, text: mail.text } }, 'mail (EMAIL_MODE=console)')
        return
      }
      await transport.sendMail(message)
    }
  }
  app.decorate('mailer', mailer)
  app.addHook('onClose', async () => { transport?.close() })
}, { name: 'dreamseed-mailer', fastify: '5.x' })

/** A refusal the SMTP server means for good (5xx); anything else (4xx, a dropped connection) may pass later. */
export function isPermanentMailError (err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}
