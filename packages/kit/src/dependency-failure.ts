// Recognises "a service we depend on is down" (Postgres, Redis, NATS) anywhere in an error's cause chain,
// so callers get a 503 they can retry instead of a 500 that reads like a bug.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'NR_CLOSED'])
// Postgres SQLSTATE classes 08 (connection), 53 (resources), 57P (operator intervention: shutdown, cannot connect now).
const PG_UNAVAILABLE = /^(08|53|57P)/

export function isDependencyFailure (error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown, name?: unknown, message?: unknown, cause?: unknown }
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || PG_UNAVAILABLE.test(e.code))) return true
    if (e.name === 'MaxRetriesPerRequestError' || (typeof e.message === 'string' && e.message.includes("Stream isn't writeable"))) return true
    current = e.cause
  }
  return false
}

/** The SQLSTATE of a Postgres error anywhere in the cause chain (drizzle wraps them). */
export function sqlState (error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown, severity?: unknown, cause?: unknown }
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity !== undefined) return e.code
    current = e.cause
  }
  return undefined
}
