// pino options shared by every service: JSON lines in production and under CI, pretty only for a person reading
// (at a TTY by default, or under `pnpm dev` through LOG_PRETTY).
import pino, { type LoggerOptions, type SerializerFn } from 'pino'

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

/**
 * Text with the query string of every URL cut off: Fastify's own warnings ("Reply was already sent … in the
 * "/auth/verify?token=…" route") put the raw URL into a message or an error. In each run of non-space text
 * where a `/` comes before a `?` or `#`, what follows that `?` or `#` goes, up to a closing quote. One pass
 * over the text, no backtracking.
 */
export function withoutQueryStrings (text: string): string {
  if (!text.includes('?') && !text.includes('#')) return text
  return text.replace(/\S+/g, (word) => {
    const cut = word.search(/[?#]/)
    if (cut <= 0 || word.lastIndexOf('/', cut) === -1) return word
    const rest = word.slice(cut)
    const quote = rest.search(/["'`]/)
    return word.slice(0, cut) + (quote === -1 ? '' : rest.slice(quote))
  })
}

/** pino's error serializer, with URLs in the message and stack cut to their paths. */
function serializeError (err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>
  for (const key of ['message', 'stack']) if (typeof out[key] === 'string') out[key] = withoutQueryStrings(out[key])
  return out
}

export const logSerializers: Record<string, SerializerFn> = { req: serializeRequest as SerializerFn, err: serializeError as SerializerFn }

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
  const options: LoggerOptions = {
    level,
    base: { service },
    serializers: logSerializers,
    redact: logRedaction,
    // Messages are text we did not all write (Fastify's warnings name the raw URL): no query string in any.
    // An error logged without a message lends pino its message as `msg`, so that one is cut here too.
    hooks: {
      logMethod (args, method) {
        const [first, ...rest] = args as unknown[]
        const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err
        const texts = err instanceof Error && typeof rest[0] !== 'string' ? [first, err.message, ...rest] : args
        method.apply(this, texts.map((a) => typeof a === 'string' ? withoutQueryStrings(a) : a) as Parameters<typeof method>)
      }
    }
  }
  if (pretty) options.transport = { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } }
  return options
}
