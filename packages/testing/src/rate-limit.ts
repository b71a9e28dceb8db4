// What a refusal by a rate limit must look like, whichever service gave it: 429, the shared error model, and
// a Retry-After of whole seconds within the limit's window.

interface Answer {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  json: () => unknown
}

/** What is wrong with the answer as a rate limit's refusal (nothing: []). */
export function rateLimitProblems (res: Answer, windowSeconds: number): string[] {
  if (res.statusCode !== 429) return [`status ${res.statusCode}, not 429`]
  const problems: string[] = []
  const retryAfter = Number(res.headers['retry-after'])
  if (!(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds)) problems.push(`Retry-After ${String(res.headers['retry-after'])}, not 1–${windowSeconds} s`)
  const expected = { error: { code: 'RATE_LIMITED', message: 'Too many requests', requestId: res.headers['x-request-id'] } }
  if (JSON.stringify(res.json()) !== JSON.stringify(expected)) problems.push(`body ${JSON.stringify(res.json())}, not ${JSON.stringify(expected)}`)
  return problems
}
