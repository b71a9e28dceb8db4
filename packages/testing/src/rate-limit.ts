// What a refusal by a rate limit must look like, whichever service gave it (429, the shared error model, a
// Retry-After of whole seconds within the window), and a per-user limit shared by two replicas, checked the
// same way for every service that limits per user.

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

type Get = (url: string, headers: Record<string, string>) => Promise<Answer>

/**
 * With a limit of 3 requests per user: one user's three requests spread over two replicas are served, the
 * fourth is refused on either replica, and another user (from the same address) is still served. What went
 * otherwise (nothing: []).
 */
export async function sharedUserLimitProblems (replicas: [Get, Get], url: string, user: Record<string, string>, other: Record<string, string>, windowSeconds: number): Promise<string[]> {
  const [first, second] = replicas
  const problems: string[] = []
  for (const [i, get] of [first, second, first].entries()) {
    const res = await get(url, user)
    if (res.statusCode !== 200) problems.push(`request ${i + 1}: ${res.statusCode}, not 200`)
  }
  for (const [name, get] of [['the other replica', second], ['the first replica', first]] as const) {
    problems.push(...rateLimitProblems(await get(url, user), windowSeconds).map((p) => `past the limit, on ${name}: ${p}`))
  }
  const res = await second(url, other)
  if (res.statusCode !== 200) problems.push(`another user: ${res.statusCode}, not 200`)
  return problems
}
