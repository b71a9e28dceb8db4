// A pino logger whose lines a test can read back as parsed JSON (to assert what was and was not logged).
import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'

export function captureLogger (level = 'info'): { logger: Logger, lines: Array<Record<string, unknown>>, text: () => string } {
  const raw: string[] = []
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim() !== '') { raw.push(l); lines.push(JSON.parse(l) as Record<string, unknown>) }
      cb()
    }
  })
  return { logger: pino({ level }, stream), lines, text: () => raw.join('\n') }
}
