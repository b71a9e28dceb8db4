import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, SERVICES, read, tsFiles } from './source.js'

// The statuses of the kit's base classes, from which a table's class inherits its status.
const BASE_STATUS: Record<string, number> = {
  ValidationError: 400,
  AuthenticationError: 401,
  AuthorizationError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
  RateLimitedError: 429,
  InternalError: 500,
  DependencyError: 503
}
const CODE = /['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{5,})['"`]/g
const CONSTRUCTED_WITH_CODE = /(?:new\s+\w*Error|super)\(\s*['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{5,})['"`]/g

interface Entry { code: string, status: number | undefined, className: string }

/** code → status for every class of an errors.ts: the number passed to AppError, or the status of the base class. */
function errorTable (file: string): Entry[] {
  const text = read(file)
  const classes = [...text.matchAll(/export class (\w+) extends (\w+)/g)].map((m) => ({ name: m[1]!, base: m[2]!, at: m.index }))
  const statusOf = new Map<string, number | undefined>()
  const entries: Entry[] = []
  classes.forEach((c, i) => {
    const body = text.slice(c.at, classes[i + 1]?.at ?? text.length)
    const explicit = /super\([\s\S]*?,\s*(\d{3})\s*[,)]/.exec(body)
    const status = c.base === 'AppError' ? (explicit === null ? undefined : Number(explicit[1])) : BASE_STATUS[c.base] ?? statusOf.get(c.base)
    statusOf.set(c.name, status)
    for (const m of body.matchAll(CODE)) entries.push({ code: m[1]!, status, className: c.name })
  })
  return entries
}

const kit = errorTable('packages/kit/src/errors.ts')

t.test('the table reader reads codes and statuses (its own check, on the kit\'s table)', async (t) => {
  t.same(kit.find((e) => e.code === 'FORBIDDEN' && e.className === 'ForbiddenError'), { code: 'FORBIDDEN', status: 403, className: 'ForbiddenError' })
  t.same(kit.find((e) => e.code === 'BAD_URL'), { code: 'BAD_URL', status: 400, className: 'BadUrlError' })
  t.same(kit.find((e) => e.code === 'MALFORMED_JSON'), { code: 'MALFORMED_JSON', status: 400, className: 'MalformedJsonError' })
  t.same(kit.find((e) => e.code === 'AUTH_SESSION_REVOKED'), { code: 'AUTH_SESSION_REVOKED', status: 401, className: 'SessionRevokedError' })
})

const PREFIX: Record<string, string> = { auth: 'AUTH_', exam: 'EXAM_', analytics: 'ANALYTICS_', notification: 'NOTIFICATION_' }
const kitCodes = new Set(kit.map((e) => e.code))

for (const [owner, dir] of [['kit', 'packages/kit/src'], ...SERVICES.map((s) => [s, `services/${s}/src`])] as Array<[string, string]>) {
  t.test(`${owner}: every error code is made in its one table, each with one status`, async (t) => {
    // A service that raises no error of its own (notification answers no API) has no table.
    const table = owner === 'kit' ? kit : existsSync(join(ROOT, dir, 'errors.ts')) ? errorTable(`${dir}/errors.ts`) : []
    const statuses = new Map<string, Set<number | undefined>>()
    for (const e of table) statuses.set(e.code, (statuses.get(e.code) ?? new Set()).add(e.status))
    t.same([...statuses].filter(([, s]) => s.size > 1 || s.has(undefined)).map(([code, s]) => `${code}: ${[...s].join(' and ')}`), [], 'one known status per code')
    if (owner !== 'kit') {
      t.same(table.filter((e) => !e.code.startsWith(PREFIX[owner]!)).map((e) => e.code), [], `codes prefixed ${PREFIX[owner]!}`)
      t.same(table.filter((e) => kitCodes.has(e.code)).map((e) => e.code), [], 'no platform code redefined')
    }
    const elsewhere = tsFiles(dir).filter((f) => !f.endsWith('/errors.ts')).flatMap((f) => [...read(f).matchAll(CONSTRUCTED_WITH_CODE)].map((m) => `${f}: ${m[1]!}`))
    t.same(elsewhere, [], 'no error made with a code outside the table')
  })
}
