// Property-based fuzzing of notification's HTTP surface: it documents no route of its own (it sends mail for
// events), so every request goes to health, metrics and the document on its ops port, or to paths and methods
// that are none (on its public port, where even those are 404).
import t from 'tap'
import { buildNotification } from '../../../services/notification/test/helper.js'
import { documentedRoutes } from './support/openapi.js'
import { fingerprinter } from './support/tables.js'
import { fuzzService, runsPerRoute, type FuzzTarget } from './support/fuzz.js'

const runs = runsPerRoute(300)

t.test('notification: health, metrics and stray requests: no 5xx, the error model, no row changed', async (t) => {
  const ctx = await buildNotification(t)
  const target: FuzzTarget = {
    app: ctx.app,
    ops: ctx.app.ops,
    fingerprint: await fingerprinter(ctx.sql, 'notification'),
    ctx: { known: { uuids: [], emails: [], strings: [] }, tokens: () => ({}), badTokens: ['Bearer x'] }
  }
  const routes = await documentedRoutes(ctx.app)
  t.equal(routes.length, 0, 'no documented route')
  const tally = await fuzzService(t, target, routes, { runs, internalRuns: runs, prefixes: ['/health', '/metrics', '/docs', '/notification'] })
  t.ok(tally.requests >= 6 * runs, `${tally.requests} generated requests`)
})
