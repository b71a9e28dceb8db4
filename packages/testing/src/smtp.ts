// A real SMTP server for tests: it receives what the mailer sends over TCP and keeps the messages, and can
// be told to fail (temporarily or for good) or to hold replies so a test can kill the mailer mid-send. Given a
// certificate it offers STARTTLS, and each mail says whether it came over TLS.
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  subject: string
  messageId: string
  text: string
  /** Received over TLS (after STARTTLS). */
  secure: boolean
}

export type SmtpBehaviour = 'accept' | 'transient' | 'permanent' | 'hold'

export interface TestSmtp {
  url: string
  port: number
  mails: ReceivedMail[]
  /** Replies refused so far (transient or permanent). */
  refused: number
  /** Messages whose data was received but whose reply is held. */
  held: () => number
  /** Clients connected now (a killed mailer's connections are gone once this drops). */
  connections: () => number
  setBehaviour: (b: SmtpBehaviour) => void
  /** Releases every held message (answered 250 and recorded, if the client is still there). */
  release: () => void
  mailsTo: (address: string) => ReceivedMail[]
  close: () => Promise<void>
}

function header (raw: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)
  return m?.[1]?.replace(/\r?\n[ \t]/g, ' ').trim() ?? ''
}

export interface SmtpServerOptions {
  /** Offer STARTTLS with this key and certificate (testCertificate()); without: plain SMTP only. */
  tls?: { key: string, cert: string }
}

export async function startSmtpServer (t: { teardown: (fn: () => unknown) => void }, options: SmtpServerOptions = {}): Promise<TestSmtp> {
  const mails: ReceivedMail[] = []
  let behaviour: SmtpBehaviour = 'accept'
  const heldReplies: Array<() => void> = []
  const state = { refused: 0 }
  const server = new SMTPServer({
    authOptional: true,
    ...(options.tls === undefined ? { disabledCommands: ['STARTTLS'] } : { key: options.tls.key, cert: options.tls.cert }),
    logger: false,
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const record = (): void => {
          const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n\n')
          mails.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            raw,
            subject: header(raw, 'Subject'),
            messageId: header(raw, 'Message-ID'),
            text: body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            secure: session.secure
          })
        }
        if (behaviour === 'transient') { state.refused++; callback(Object.assign(new Error('Try again later'), { responseCode: 451 })); return }
        if (behaviour === 'permanent') { state.refused++; callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })); return }
        if (behaviour === 'hold') {
          // The mail counts as delivered only once the 250 reply goes out to a client still connected,
          // as with a real MTA that commits a message when it acknowledges it.
          heldReplies.push(() => {
            if (session.id !== undefined && !(stream as unknown as { destroyed?: boolean }).destroyed && connections.has(session.id)) { record(); callback() }
          })
          return
        }
        record()
        callback()
      })
    },
    onConnect (session, callback) { connections.add(session.id); callback() },
    onClose (session) { connections.delete(session.id) }
  })
  const connections = new Set<string>()
  // A client that dies mid-conversation (a SIGKILLed mailer) resets its connection: expected here, not a failure.
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  const smtp: TestSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    get refused () { return state.refused },
    held: () => heldReplies.length,
    connections: () => connections.size,
    setBehaviour: (b) => { behaviour = b },
    release: () => { for (const r of heldReplies.splice(0)) r() },
    mailsTo: (address) => mails.filter((m) => m.to.includes(address.toLowerCase())),
    close: async () => { await new Promise<void>((resolve) => server.close(() => resolve())) }
  }
  t.teardown(async () => { smtp.release(); await smtp.close() })
  return smtp
}
