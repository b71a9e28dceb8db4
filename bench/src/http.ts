// The setup's few requests (not measured): JSON in, JSON or text out.
export interface Answer { status: number, body: unknown }

export async function call (base: string, method: string, path: string, options: { token?: string, json?: unknown, text?: string, type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(options.json) }
  if (options.text !== undefined) { headers['content-type'] = options.type ?? 'text/plain'; body = options.text }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  const text = await res.text()
  return { status: res.status, body: parse(text) }
}

function parse (text: string): unknown {
  if (text === '') return undefined
  try { return JSON.parse(text) } catch { return text }
}

export const postJson = async (base: string, path: string, json: unknown, token?: string): Promise<Answer> =>
  await call(base, 'POST', path, { json, ...(token === undefined ? {} : { token }) })

/** The answer's body, or an error naming the request, when the status is not the one expected. */
export function expectStatus<T> (answer: Answer, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`)
  return answer.body as T
}

export async function poll<T> (fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
