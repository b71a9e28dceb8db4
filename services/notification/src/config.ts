// notification's settings: the shared ones plus how mail leaves (console or SMTP) and how hard it retries.
import { ConfigError, commonSettings, devSecret, isProduction, loadConfig, parse, requireHttps, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s
const list = (raw: string): number[] => {
  const values = raw.split(',').map((s) => Number(s.trim()))
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 0 || n > 86_400_000)) throw new Error('expected comma-separated milliseconds')
  return values
}

export const notificationSettings = {
  ...commonSettings({ port: 3004, opsPort: 9004, service: 'notification' }),
  emailMode: setting({ env: 'EMAIL_MODE', description: 'console logs each mail, link included (development only); smtp sends it through SMTP_URL', parse: parse.oneOf(['console', 'smtp'] as const), default: 'console' as const, defaultDoc: 'console; production requires smtp', requiredInProduction: true }),
  smtpUrl: setting({ env: 'SMTP_URL', description: 'smtp:// or smtps:// URL with credentials; only read when EMAIL_MODE=smtp. In production TLS is required: smtps://, or smtp://…?requireTLS=true (STARTTLS or nothing); tls.* options pass on to the TLS connection (e.g. tls.servername)', parse: parse.url(['smtp:', 'smtps:']), secret: true, defaultDoc: 'none; required when EMAIL_MODE=smtp', when: (env: Env) => env.EMAIL_MODE === 'smtp', inProduction: requireMailTls }),
  mailFrom: setting({ env: 'MAIL_FROM', description: 'sender of every mail', parse: parse.string, default: 'DreamSeed <no-reply@dreamseed.local>' }),
  authPublicUrl: setting({ env: 'AUTH_PUBLIC_URL', description: 'where people reach auth: the base of links in mails; https:// in production', parse: parse.url(['http:', 'https:']), default: 'http://127.0.0.1:3001', requiredInProduction: true, inProduction: requireHttps }),
  tokenSealKey: setting({ env: 'TOKEN_SEAL_KEY', description: '32 bytes, base64: opens tokens sealed by auth; the same value as auth\'s', parse: parse.key256, default: devSecret('token-seal-key'), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  accountExistsIntervalSeconds: setting({ env: 'ACCOUNT_EXISTS_MAIL_INTERVAL_S', description: 'least time between two "you already have an account" mails to one address (anyone can register a known address again and again); 0 sends one for every registration', parse: parse.int(0, 30 * 86400), default: 3600 }),
  mailerConcurrency: setting({ env: 'MAILER_CONCURRENCY', description: 'mails sent at once', parse: parse.int(1, 100), default: 4 }),
  mailerMaxDeliver: setting({ env: 'MAILER_MAX_DELIVER', description: 'deliveries of one event before its mail is marked failed', parse: parse.int(2, 100), default: 10 }),
  mailerBackoffMs: setting({ env: 'MAILER_BACKOFF_MS', description: 'delays between retries of a mail that failed transiently (last repeats)', parse: list, default: [1000, 5000, 15000, 60000, 300000], defaultDoc: '1000,5000,15000,60000,300000' }),
  mailerAckWaitMs: setting({ env: 'MAILER_ACK_WAIT_MS', description: 'time before an unacknowledged event (a crashed mailer) is delivered again', parse: parse.int(500, 600000), default: 30000 }),
  smtpTimeoutMs: setting({ env: 'SMTP_TIMEOUT_MS', description: 'connection, greeting and socket timeout for SMTP', parse: parse.int(500, 120000), default: 10000 })
}

/**
 * Mail carries sign-in links and passes the SMTP credentials: in production it never crosses the network in
 * clear. nodemailer reads the URL's query: requireTLS=true refuses a server that does not offer STARTTLS.
 */
function requireMailTls (url: string): void {
  const u = new URL(url)
  if (u.protocol === 'smtp:' && u.searchParams.get('requireTLS') !== 'true') throw new Error('expected TLS in production: smtps://, or smtp://…?requireTLS=true (STARTTLS required)')
  if (u.searchParams.get('tls.rejectUnauthorized') === 'false') throw new Error('expected the server\'s certificate to be checked in production (no tls.rejectUnauthorized=false)')
}

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>

export function loadNotificationConfig (env: Env = process.env) {
  const config = loadConfig(notificationSettings, env)
  // Console mode writes verification links into the log: acceptable on a laptop, never in production.
  if (isProduction(env) && config.emailMode === 'console') throw new ConfigError(['EMAIL_MODE=console is not allowed in production (mails would carry their links into the logs)'])
  return config
}
