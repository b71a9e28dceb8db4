import t from 'tap'
import { freePort, waitFor } from '@dreamseed/testing'
import { spawnService, startPlatform } from './helper.js'

t.test('SIGTERM lets in-flight registrations finish, then the service exits cleanly', async (t) => {
  const platform = await startPlatform(t, { notification: 'none' })
  const [port, opsPort] = [await freePort(), await freePort()]
  let received = 0
  const auth = spawnService('auth', { ...platform.env, PORT: String(port), OPS_PORT: String(opsPort) }, {
    onLogLine: (line) => { if (line.msg === 'incoming request' && (line.req as { url?: string } | undefined)?.url === '/auth/register') received++ }
  })
  t.teardown(() => { auth.child.kill('SIGKILL') })
  const url = `http://127.0.0.1:${port}`
  const opsUrl = `http://127.0.0.1:${opsPort}`
  await waitFor(async () => (await fetch(`${opsUrl}/health/live`)).ok, { what: 'auth listening', timeoutMs: 30000 })

  const emails = Array.from({ length: 6 }, (_, i) => `shutdown-${i}-${Date.now()}@example.org`)
  const inFlight = emails.map(async (email) => {
    const res = await fetch(`${url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery', role: 'student', displayName: 'S' }) })
    return res.status
  })
  // Stop only once the server has taken every request in: they are in flight, not merely sent.
  await waitFor(() => received === emails.length, { what: 'the requests to reach the server', timeoutMs: 30000 })
  auth.child.kill('SIGTERM')
  const statuses = await Promise.all(inFlight)
  t.same(statuses, emails.map(() => 202), 'every request that was in flight got its answer')
  t.equal(await auth.exited, 0, 'exit code 0')
  t.equal((await platform.sql`select count(*)::int as n from auth.users`)[0]?.n, emails.length)
  t.equal((await platform.sql`select count(*)::int as n from auth.outbox`)[0]?.n, emails.length, 'and every event was written')
  await t.rejects(fetch(`${url}/auth/register`), 'nothing listens any more')
  await t.rejects(fetch(`${opsUrl}/health/live`), 'on either port')
})
