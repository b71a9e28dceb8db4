// pino options shared by every service: JSON lines in production and under CI, pretty only for a person reading
// (at a TTY by default, or under `pnpm dev` through LOG_PRETTY).
import type { LoggerOptions, SerializerFn } from 'pino'

interface LoggedRequest { method?: string, url?: string, ip?: string, host?: string, socket?: { remotePort?: number } }

/** A URL without its query string: `/auth/verify?token=…` logs as `/auth/verify`. */
export function pathOf (url: string | undefined): string {
  if (url === undefined) return ''
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

/**
 * The request as it appears in the log. Only the path: query strings carry one-time tokens (verification,
 * password reset) and whatever a caller puts there next, so none of it is logged rather than a list of names
 * we would have to keep complete.
 */
export function serializeRequest (req: LoggedRequest): Record<string, unknown> {
  return { method: req.method, url: pathOf(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }
}

export const logSerializers: Record<string, SerializerFn> = { req: serializeRequest as SerializerFn }

// Secrets never reach a log line even if someone logs a whole request, body or config.
export const logRedaction = {
  paths: [
    'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
    'password', '*.password', 'newPassword', '*.newPassword', 'currentPassword', '*.currentPassword', 'passwordHash', '*.passwordHash',
    'token', '*.token', 'sessionToken', '*.sessionToken', 'accessToken', '*.accessToken', 'sealedToken', '*.sealedToken', 'joinCode', '*.joinCode'
  ],
  censor: '[redacted]'
}

export function loggerOptions (level: string, service: string, pretty = process.stdout.isTTY === true): LoggerOptions {
  const options: LoggerOptions = { level, base: { service }, serializers: logSerializers, redact: logRedaction }
  if (pretty) options.transport = { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } }
  return options
}
