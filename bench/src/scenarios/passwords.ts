// Scenarios 1 and 2: registration and login, each beside argon2id alone (hashing, verifying) with the
// parameters auth uses, served by a bare route in the same Fastify setup, so both sides pay the same HTTP.
import type { Platform } from '../platform.js'
import { PASSWORD } from '../platform.js'
import { fromLoad, ratioOf, type Row } from '../report.js'
import { measurePair } from '../measure.js'
import { expectStatus, postJson } from '../http.js'
import { createCpuSplit, describeSplit } from '../cpu-split.js'

/** Enough requests in flight to keep every libuv thread hashing (4 by default), with one queued behind each. */
export const SATURATION_CONNECTIONS = 8
// Issue 17: registration does more beside its hash (a transaction, an event and the mail it brings) than a
// login does beside its verification (a session, an audit row, a token).
const REGISTRATION_TARGET = 0.75
const LOGIN_TARGET = 0.85

type Log = (line: string) => void

const cpuNotes = (split: ReturnType<typeof createCpuSplit>['split']): string[] => [`measured: ${describeSplit(split.measured)}`, `baseline: ${describeSplit(split.baseline)}`]

export async function registration (p: Platform, id: string, connections: number, log: Log): Promise<Row> {
  log(`${id} registration, ${connections} connections`)
  const meter = createCpuSplit(p, { measured: { opsUrl: p.auth.opsUrl, route: '/auth/register' }, baseline: { opsUrl: p.baseline.opsUrl, route: '/bare/hash' } }, [p.auth.child.pid, p.baseline.child.pid])
  const { measured, baseline } = await measurePair(p,
    { name: `register-${connections}`, url: p.auth.url, connections, profile: { kind: 'register', tag: `reg${id}-${Date.now()}`, password: PASSWORD } },
    { name: `hash-${connections}`, url: p.baseline.url, connections, profile: { kind: 'password', path: '/bare/hash', password: PASSWORD } }, log, { observe: meter.observe })
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  const ratio = ratioOf(m, b)
  return {
    id,
    scenario: `registration, ${connections === SATURATION_CONNECTIONS ? `saturation (${connections} conn)` : `${connections} clients`}`,
    measured: m,
    baselineName: 'argon2id hash',
    baseline: b,
    ratio,
    target: { text: `ratio ≥ ${REGISTRATION_TARGET}`, met: ratio !== null && ratio >= REGISTRATION_TARGET },
    notes: [
      ...connections === SATURATION_CONNECTIONS ? [`argon2id m=${p.argon2.m} KiB t=${p.argon2.t} p=${p.argon2.p}, read from a hash auth stored; both sides POST JSON to a Fastify route from the kit`] : [],
      ...cpuNotes(meter.split)
    ]
  }
}

/** Up to n accounts that can sign in: those scenario 1 registered (or a few registered now), marked verified. */
export async function verifiedUsers (p: Platform, n: number): Promise<string[]> {
  const registered = async () => await p.sql<Array<{ email: string }>>`select email from auth.users where email like 'reg%' order by id limit ${n}`
  if ((await registered()).length < 50) {
    for (let i = 0; i < 50; i += 10) {
      await Promise.all(Array.from({ length: 10 }, async (_, j) => expectStatus(await postJson(p.auth.url, '/auth/register', { email: `reg-login-${Date.now()}-${i + j}@bench.example.org`, password: PASSWORD, role: 'student', displayName: 'Bench Student' }), 202, 'registration')))
    }
  }
  await p.sql`update auth.users set email_verified_at = now() where email_verified_at is null and email like 'reg%'`
  return (await registered()).map((r) => r.email)
}

export async function login (p: Platform, id: string, connections: number, emails: string[], log: Log): Promise<Row> {
  log(`${id} login, ${connections} connections`)
  const meter = createCpuSplit(p, { measured: { opsUrl: p.auth.opsUrl, route: '/auth/login' }, baseline: { opsUrl: p.baseline.opsUrl, route: '/bare/verify' } }, [p.auth.child.pid, p.baseline.child.pid])
  const { measured, baseline } = await measurePair(p,
    { name: `login-${connections}`, url: p.auth.url, connections, profile: { kind: 'login', emails, password: PASSWORD } },
    { name: `verify-${connections}`, url: p.baseline.url, connections, profile: { kind: 'password', path: '/bare/verify', password: PASSWORD } }, log, { observe: meter.observe })
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  const ratio = ratioOf(m, b)
  return {
    id,
    scenario: `login, ${connections === SATURATION_CONNECTIONS ? `saturation (${connections} conn)` : `${connections} clients`}`,
    measured: m,
    baselineName: 'argon2id verify',
    baseline: b,
    ratio,
    target: { text: `ratio ≥ ${LOGIN_TARGET}`, met: ratio !== null && ratio >= LOGIN_TARGET },
    notes: [
      ...connections === SATURATION_CONNECTIONS ? [`${emails.length} verified accounts signed in in turn; each login writes a session and an audit row and signs an access token`] : [],
      ...cpuNotes(meter.split)
    ]
  }
}
