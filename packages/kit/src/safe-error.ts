// What of an error may reach a log line. Query errors carry their parameters (a password hash, a token hash,
// an email), in their message and in fields: keep the SQL and the database's own message, drop the values.
export interface SafeError {
  type: string
  message: string
  code?: string
  stack?: string
  query?: string
  cause?: SafeError
}

const PARAMS = /\nparams:[\s\S]*$/

export function safeError (error: unknown, depth = 0): SafeError {
  if (error === null || typeof error !== 'object') return { type: typeof error, message: String(error) }
  const e = error as { name?: string, constructor?: { name?: string }, message?: string, code?: unknown, stack?: string, query?: unknown, cause?: unknown }
  const out: SafeError = {
    type: e.constructor?.name ?? e.name ?? 'Error',
    message: (e.message ?? '').replace(PARAMS, '')
  }
  if (typeof e.code === 'string') out.code = e.code
  // Only the frames: the first lines of a stack repeat the message, parameters included.
  if (typeof e.stack === 'string') out.stack = [`${out.type}: ${out.message}`, ...e.stack.split('\n').filter((l) => /^\s+at /.test(l))].join('\n')
  if (typeof e.query === 'string') out.query = e.query
  if (e.cause !== undefined && depth < 4) out.cause = safeError(e.cause, depth + 1)
  return out
}
