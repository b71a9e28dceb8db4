// pino options shared by every service: JSON lines in production and under CI, pretty only for a person reading
// (at a TTY by default, or under `pnpm dev` through LOG_PRETTY).
import type { LoggerOptions } from 'pino'

export function loggerOptions (level: string, service: string, pretty = process.stdout.isTTY === true): LoggerOptions {
  const options: LoggerOptions = {
    level,
    base: { service },
    // Secrets never reach a log line even if someone logs a whole request or config.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'token', '*.token', 'passwordHash', '*.passwordHash', 'sealedToken', '*.sealedToken'],
      censor: '[redacted]'
    }
  }
  if (pretty) options.transport = { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } }
  return options
}
