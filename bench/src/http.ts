// The setup's few requests (not measured), through the tests' HTTP client: JSON in, JSON or text out.
import { request, type CallResult } from '@dreamseed/testing/http-client'

export type Answer = CallResult

/** No time bound: some setup requests (the baseline's consume) wait minutes by design. */
export { request as call }

export const postJson = async (base: string, path: string, json: unknown, token?: string): Promise<Answer> =>
  await request(base, 'POST', path, { body: json, ...(token === undefined ? {} : { token }) })

/** The answer's body (parsed JSON, or the text of any other type, e.g. a chart's SVG), or an error naming the request, when the status is not the one expected. */
export function expectStatus<T> (answer: Answer, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 500)}`)
  return (answer.body ?? (answer.text === '' ? undefined : answer.text)) as T
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
