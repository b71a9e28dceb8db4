import t from 'tap'
import { authenticationPlugin, createFastify, kitPlugin, redisPlugin } from '@dreamseed/kit'
import { captureLogger, waitFor } from '@dreamseed/testing'
import { startPlatform } from './helper.js'

// Another service, as exam and analytics will be: it trusts auth's tokens through auth's JWKS and Redis,
// and never calls auth while serving a request.
async function otherService (t: { teardown: (fn: () => unknown) => void }, authUrl: string) {
  const app = createFastify({ serviceName: 'other', logLevel: 'silent', bodyLimit: 1024, logger: captureLogger('silent').logger })
  await app.register(kitPlugin)
  await app.register(redisPlugin, { url: 'redis://127.0.0.1:6379' })
  await app.register(authenticationPlugin, { keys: { jwksUrl: `${authUrl}/.well-known/jwks.json` }, issuer: 'dreamseed-auth', audience: 'dreamseed', redis: () => app.redis })
  app.get('/whoami', { preHandler: app.requireUser }, async (request) => ({ id: request.user!.id, role: request.user!.role }))
  app.get('/teachers-only', { preHandler: app.requireRole('teacher', 'admin') }, async () => ({ ok: true }))
  await app.ready()
  await waitFor(async () => (await app.ops.inject({ method: 'GET', url: '/health/ready' })).json().status === 'ready', { what: 'redis' })
  t.teardown(() => app.close())
  return app
}

async function verifiedLogin (platform: Awaited<ReturnType<typeof startPlatform>>, email: string) {
  t.equal(await platform.register(email), 202)
  const mail = await waitFor(() => platform.smtp.mailsTo(email)[0])
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? ''
  await fetch(`${platform.authUrl}/auth/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: 'correct horse battery' }) })
  const res = await fetch(`${platform.authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) })
  const body = await res.json() as { accessToken: string, sessionToken: string, session: { id: string } }
  return { ...body, headers: { authorization: `Bearer ${body.accessToken}` } }
}

t.test('another service verifies auth\'s tokens with the JWKS, and refuses a revoked session at once', async (t) => {
  const platform = await startPlatform(t)
  const other = await otherService(t, platform.authUrl)
  const ann = await verifiedLogin(platform, `ann-${Date.now()}@example.org`)

  const ok = await other.inject({ method: 'GET', url: '/whoami', headers: ann.headers })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().role, 'student')
  const forbidden = await other.inject({ method: 'GET', url: '/teachers-only', headers: ann.headers })
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.json().error.code, 'FORBIDDEN')
  t.equal((await other.inject({ method: 'GET', url: '/whoami' })).statusCode, 401)

  const logout = await fetch(`${platform.authUrl}/auth/logout`, { method: 'POST', headers: ann.headers })
  t.equal(logout.status, 204)
  // The revocation is in Redis before logout answers: the very next request anywhere is refused, well
  // within the one second the platform promises, with no waiting in between.
  const after = await other.inject({ method: 'GET', url: '/whoami', headers: ann.headers })
  t.equal(after.statusCode, 401)
  t.equal(after.json().error.code, 'AUTH_SESSION_REVOKED')
})

t.test('revoking another session and revoking all others reach the other service at once', async (t) => {
  const platform = await startPlatform(t)
  const other = await otherService(t, platform.authUrl)
  const email = `bob-${Date.now()}@example.org`
  const first = await verifiedLogin(platform, email)
  const loginAgain = async () => {
    const res = await fetch(`${platform.authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) })
    const body = await res.json() as { accessToken: string, session: { id: string } }
    return { ...body, headers: { authorization: `Bearer ${body.accessToken}` } }
  }
  const phone = await loginAgain()
  const tablet = await loginAgain()
  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: phone.headers })).statusCode, 200)
  await fetch(`${platform.authUrl}/auth/sessions/${phone.session.id}`, { method: 'DELETE', headers: first.headers })
  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: phone.headers })).statusCode, 401)
  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: tablet.headers })).statusCode, 200)
  await fetch(`${platform.authUrl}/auth/sessions/revoke-others`, { method: 'POST', headers: first.headers })
  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: tablet.headers })).statusCode, 401)
  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: first.headers })).statusCode, 200)
})

t.test('a disabled account is refused by the other service at once', async (t) => {
  const platform = await startPlatform(t)
  const other = await otherService(t, platform.authUrl)
  const adminEmail = `admin-${Date.now()}@example.org`
  const studentEmail = `carl-${Date.now()}@example.org`
  await verifiedLogin(platform, adminEmail)
  const student = await verifiedLogin(platform, studentEmail)
  // The admin and the student share an organization (set directly: the admin routes have their own tests).
  const [org] = await platform.sql`insert into auth.organizations (id, name) values (gen_random_uuid(), 'E2E School') returning id`
  await platform.sql`update auth.users set role = 'admin', organization_id = ${org?.id} where email = ${adminEmail}`
  await platform.sql`update auth.users set organization_id = ${org?.id} where email = ${studentEmail}`
  const admin = await fetch(`${platform.authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminEmail, password: 'correct horse battery' }) })
  const adminToken = (await admin.json() as { accessToken: string }).accessToken
  const [studentRow] = await platform.sql`select id from auth.users where email = ${studentEmail}`

  t.equal((await other.inject({ method: 'GET', url: '/whoami', headers: student.headers })).statusCode, 200)
  const disable = await fetch(`${platform.authUrl}/auth/users/${String(studentRow?.id)}/disable`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } })
  t.equal(disable.status, 200)
  const after = await other.inject({ method: 'GET', url: '/whoami', headers: student.headers })
  t.equal(after.statusCode, 401, 'refused on the very next request')
  t.equal(after.json().error.code, 'AUTH_SESSION_REVOKED')
})
