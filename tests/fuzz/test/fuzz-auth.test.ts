// Property-based fuzzing of every route auth documents, as users who registered and signed in (a student, a
// teacher and an admin of a school, a student of none) and with tokens auth must refuse. A refused request may
// write one thing: the audit entry that records the refusal (outcome 'failure'). The student of no school is not
// held to the outsider rules (fuzz.ts): the requests may hand them the school's join code, and with it they join
// by design. Outsiders are walked through every route by services/auth/test/route-walk.test.ts.
import t from 'tap'
import { buildAuth, createOrganization, createVerifiedUser, login, newUser, setRole } from '../../../services/auth/test/helper.js'
import { documentedRoutes } from './support/openapi.js'
import { fingerprinter } from './support/tables.js'
import { badTokens } from './support/tokens.js'
import { fuzzService, runsPerRoute, type FuzzTarget } from './support/fuzz.js'
import type { Known } from './support/arbitraries.js'

const runs = runsPerRoute(80)

type Role = 'student' | 'teacher' | 'admin'

t.test('auth: every route, thousands of generated requests: no 5xx, the error model, no row changed by a refusal', async (t) => {
  // The fuzzer is one client address sending thousands of requests: the rate limits would answer most of them.
  const ctx = await buildAuth(t, { AUTH_RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_STRICT_MAX: '1000000' })
  const organizationId = await createOrganization(ctx)
  const callers: Array<[string, Role, string | null]> = [['student', 'student', organizationId], ['teacher', 'teacher', organizationId], ['admin', 'admin', organizationId], ['student of no school', 'student', null]]
  const members = await Promise.all(callers.map(async ([name, role, org]) => {
    const user = await createVerifiedUser(ctx, { role: role === 'student' ? 'student' : 'teacher' })
    await setRole(ctx, user.id, role, org)
    return { name, role, org, user }
  }))
  // Accounts the requests may name (by address or id) and change; the callers above are never named by address.
  const others = await Promise.all([createVerifiedUser(ctx), createVerifiedUser(ctx, { role: 'teacher' })])
  const unverified = newUser()
  await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })
  const original = await ctx.sql`select id, role, organization_id, password_hash from auth.users where id in ${ctx.sql(members.map((m) => m.user.id))}`

  let tokens: Record<string, string> = {}
  let sessions: string[] = []
  /** Puts the callers back as they were (a request may have disabled one, changed a role or a password) and signs them in again. */
  const repair = async (): Promise<void> => {
    for (const row of original) {
      await ctx.sql`update auth.users set role = ${row.role}, organization_id = ${row.organization_id}, password_hash = ${row.password_hash}, disabled_at = null where id = ${row.id}`
    }
    const signedIn = await Promise.all(members.map(async (m) => [m.name, await login(ctx, m.user)] as const))
    tokens = Object.fromEntries(signedIn.map(([name, s]) => [name, s.accessToken]))
    sessions = signedIn.map(([, s]) => s.sessionToken)
  }
  await repair()
  const teacher = tokens.teacher!
  const classroom = (await ctx.app.inject({ method: 'POST', url: '/auth/classrooms', headers: { authorization: `Bearer ${teacher}` }, payload: { name: 'Algebra 1' } })).json() as { id: string, joinCode: string }
  const sessionIds = (await ctx.sql<Array<{ id: string }>>`select id from auth.sessions limit 4`).map((r) => r.id)

  const known: Known = {
    uuids: [organizationId, classroom.id, ...members.map((m) => m.user.id), ...others.map((u) => u.id), ...sessionIds],
    emails: [...others.map((u) => u.email), unverified.email.toLowerCase()],
    strings: [classroom.joinCode, ...sessions.slice(0, 2), 'correct horse battery', 'login', 'login.failure', 'organization.create']
  }
  const target: FuzzTarget = {
    app: ctx.app,
    ops: ctx.app.ops,
    fingerprint: await fingerprinter(ctx.sql, 'auth', [{ table: 'audit_log', where: 'outcome <> \'failure\'' }]),
    ctx: {
      known,
      tokens: () => tokens,
      badTokens: await badTokens(teacher, ctx.config.issuer, ctx.config.audience),
      pages: ['GET /auth/verify', 'GET /auth/verification/resend', 'GET /auth/password/forgot', 'GET /auth/password/reset']
    },
    repair
  }
  const routes = await documentedRoutes(ctx.app)
  t.ok(routes.length >= 30, `${routes.length} documented routes`)
  const tally = await fuzzService(t, target, routes, { runs, prefixes: ['/auth', '/auth/organizations', '/auth/classrooms', '/.well-known'] })
  t.ok(tally.requests >= routes.length * runs, `${tally.requests} generated requests`)
})
