import t from 'tap'
import { CATALOG, newEnvelope, userCreatedV1, type EventContract } from '../src/index.js'
import type { TSchema } from 'typebox'

const validCreated = () => newEnvelope(userCreatedV1, {
  userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10',
  email: 'ann@example.org',
  displayName: 'Ann',
  role: 'student',
  verification: { sealedToken: 'abc', expiresAt: new Date().toISOString() }
}, { requestId: 'r-1' })

t.test('an envelope carries a UUIDv7 id, its type, version, time, producer and request id', async (t) => {
  const e = validCreated()
  t.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(e.type, 'user.created')
  t.equal(e.version, 1)
  t.equal(e.producer, 'auth')
  t.equal(e.requestId, 'r-1')
  t.ok(Date.parse(e.occurredAt) <= Date.now())
  t.same(userCreatedV1.check(e), [])
  t.equal(userCreatedV1.subject('dreamseed'), 'dreamseed.user.created.v1')
})

t.test('ids are time-ordered, so outbox rows sort in write order', async (t) => {
  const ids = Array.from({ length: 50 }, () => validCreated().id)
  t.same([...ids].sort(), ids)
})

t.test('a contract refuses data that breaks it, at write time and at read time', async (t) => {
  t.throws(() => newEnvelope(userCreatedV1, { userId: 'x' } as never), /breaks its contract/)
  const e = validCreated() as unknown as { data: Record<string, unknown> }
  t.not(userCreatedV1.check({ ...e, data: { ...e.data, email: 'not-an-email' } }).length, 0)
  t.not(userCreatedV1.check({ ...e, data: { ...e.data, password: 'x' } }).length, 0, 'unknown fields are refused')
  t.not(userCreatedV1.check({ ...e, version: 2 }).length, 0)
})

// No secret in clear text: walk every contract's schema for property names that would carry one.
function propertyNames (schema: TSchema, path = ''): string[] {
  const s = schema as { properties?: Record<string, TSchema>, anyOf?: TSchema[], items?: TSchema }
  const own = Object.entries(s.properties ?? {}).flatMap(([k, v]) => [`${path}${k}`, ...propertyNames(v, `${path}${k}.`)])
  return [...own, ...(s.anyOf ?? []).flatMap((v) => propertyNames(v, path)), ...(s.items === undefined ? [] : propertyNames(s.items, path))]
}

t.test('no event contract has a field for a password, a hash or a raw token', async (t) => {
  t.ok(CATALOG.length >= 4)
  for (const contract of CATALOG as EventContract[]) {
    const names = propertyNames(contract.envelope)
    const suspicious = names.filter((n) => /password|hash|secret|(^|\.)token$|rawToken/i.test(n))
    t.same(suspicious, [], `${contract.type}.v${contract.version}`)
  }
})

t.test('every catalog entry is unique by type and version and names its producer', async (t) => {
  const keys = CATALOG.map((c) => `${c.type}.v${c.version}`)
  t.equal(new Set(keys).size, keys.length)
  for (const c of CATALOG) t.match(c.producer, /^(auth|exam|analytics|notification)$/)
})
