// One HTTP request to a running service, as a client makes it: a bearer token, a JSON (or raw text) body, and
// the answer with its status, headers, text and parsed JSON. The tests, the bench's setup and the seed tool
// all talk to the platform this way; this module needs nothing but fetch, so tools import it alone.

export interface CallResult {
  status: number
  headers: Headers
  /** The content-type answered, or null. */
  type: string | null
  text: string
  /** The parsed body when the answer is JSON, else undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers read whatever each route answers
  body: Record<string, any> | undefined
}

export interface RequestOptions {
  token?: string
  /** A string is sent as it is (with `type`); anything else as JSON. */
  body?: unknown
  /** The body's content-type; default application/json. */
  type?: string
  /** Gives up after this long; none: waits as long as the service takes. */
  timeoutMs?: number
}

export async function request (base: string, method: string, path: string, options: RequestOptions = {}): Promise<CallResult> {
  const { token, body, type = 'application/json', timeoutMs } = options
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) })
  })
  const text = await res.text()
  const contentType = res.headers.get('content-type')
  return { status: res.status, headers: res.headers, type: contentType, text, body: text === '' || !/json/.test(contentType ?? '') ? undefined : JSON.parse(text) as Record<string, unknown> }
}

/** A test's request: positional, and bounded (a request that gets no answer at all fails the test, not a timing assertion). */
export async function call (base: string, method: string, path: string, token?: string, body?: unknown, type = 'application/json'): Promise<CallResult> {
  return await request(base, method, path, { ...(token === undefined ? {} : { token }), body, type, timeoutMs: 30000 })
}
