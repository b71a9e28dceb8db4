import t from 'tap'
import { buildAuth, newUser } from '../helper.js'

type Case = [name: string, method: 'GET' | 'POST', url: string, payload: string | undefined, contentType?: string]
const json = 'application/json'
const valid = newUser()

const cases: Case[] = [
  ['register: missing fields', 'POST', '/auth/register', JSON.stringify({ email: valid.email })],
  ['register: extra field', 'POST', '/auth/register', JSON.stringify({ ...valid, isAdmin: true })],
  ['register: wrong types', 'POST', '/auth/register', JSON.stringify({ ...valid, password: 12345678, role: 1 })],
  ['register: malformed JSON', 'POST', '/auth/register', '{"email": "a@b.org", "password":'],
  ['register: empty body', 'POST', '/auth/register', ''],
  ['register: not an object', 'POST', '/auth/register', '"hello"'],
  ['register: null', 'POST', '/auth/register', 'null'],
  ['register: a 10 000-character email', 'POST', '/auth/register', JSON.stringify({ ...valid, email: `${'a'.repeat(9990)}@example.org` })],
  ['register: not an email', 'POST', '/auth/register', JSON.stringify({ ...valid, email: 'not-an-email' })],
  ['register: password too short', 'POST', '/auth/register', JSON.stringify({ ...valid, password: 'short' })],
  ['register: password too long', 'POST', '/auth/register', JSON.stringify({ ...valid, password: 'x'.repeat(129) })],
  ['register: blank display name', 'POST', '/auth/register', JSON.stringify({ ...valid, displayName: '   ' })],
  ['register: control characters in the name', 'POST', '/auth/register', JSON.stringify({ ...valid, displayName: 'Ann\u0000' })],
  ['register: over the body limit', 'POST', '/auth/register', JSON.stringify({ ...valid, displayName: 'x'.repeat(70000) })],
  ['register: form-encoded', 'POST', '/auth/register', 'email=a%40b.org', 'application/x-www-form-urlencoded'],
  ['register: unsupported type', 'POST', '/auth/register', 'a,b', 'text/csv'],
  ['verify page: no token', 'GET', '/auth/verify', undefined],
  ['verify page: a malformed token', 'GET', '/auth/verify?token=%3Cscript%3E', undefined],
  ['verify page: an extra parameter', 'GET', `/auth/verify?token=${'A'.repeat(43)}&x=1`, undefined],
  ['verify: missing token', 'POST', '/auth/verify', '{}'],
  ['verify: token of the wrong type', 'POST', '/auth/verify', JSON.stringify({ token: 42 })],
  ['verify: token too long', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(10000) })],
  ['verify: malformed JSON', 'POST', '/auth/verify', '{'],
  ['verify: extra field', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(43), password: valid.password, admin: 1 })],
  ['verify: missing password', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(43) })],
  ['verify: empty password', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(43), password: '' })],
  ['verify: password too long', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(43), password: 'x'.repeat(129) })],
  ['verify: password of the wrong type', 'POST', '/auth/verify', JSON.stringify({ token: 'A'.repeat(43), password: 12345678 })],
  ['resend: missing email', 'POST', '/auth/verification/resend', '{}'],
  ['resend: not an email', 'POST', '/auth/verification/resend', JSON.stringify({ email: 'x' })],
  ['resend: a 10 000-character email', 'POST', '/auth/verification/resend', JSON.stringify({ email: `${'a'.repeat(9990)}@example.org` })],
  ['resend: malformed JSON', 'POST', '/auth/verification/resend', '{"email"'],
  ['resend page: unknown parameter', 'GET', '/auth/verification/resend?x=1', undefined]
]

t.test('bad input on every route gets a 4xx in the error model, and writes nothing', async (t) => {
  const { app, sql } = await buildAuth(t)
  for (const [name, method, url, payload, contentType] of cases) {
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload, headers: { 'content-type': contentType ?? json } }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    const body = res.json()
    t.type(body.error?.code, 'string', `${name}: error code`)
    t.type(body.error?.message, 'string', `${name}: error message`)
    t.type(body.error?.requestId, 'string', `${name}: request id`)
  }
  t.equal((await sql`select count(*)::int as n from auth.users`)[0]?.n, 0)
  t.equal((await sql`select count(*)::int as n from auth.outbox`)[0]?.n, 0)
})
