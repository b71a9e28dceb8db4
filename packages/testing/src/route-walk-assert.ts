// The route walk as a service's test asserts it: no problem, every route that needs a token walked (and there
// is at least one), organization A's rows as they were. WALK_VERBOSE=1 prints every answer and problem.
import type postgres from 'postgres'
import { organizationRows } from './organization-rows.js'
import { walkRoutes, type WalkActor, type WalkApp, type WalkOptions, type WalkReport } from './route-walk.js'

/** The part of a tap test the assertions use. */
export interface WalkTest {
  same: (found: unknown, wanted: unknown, message: string) => unknown
  ok: (value: unknown, message: string) => unknown
  comment: (...message: unknown[]) => unknown
}

/** `holds`: tables where A must have rows before the walk, so the comparison is not over nothing. */
export async function assertRouteWalk (t: WalkTest, options: WalkOptions & { holds: string[] }): Promise<WalkReport> {
  const before = await options.rows()
  for (const table of options.holds) t.ok((before[table]?.length ?? 0) > 0, `organization A has rows in ${options.schema}.${table}`)
  const report = await walkRoutes(options)
  if (process.env.WALK_VERBOSE === '1') {
    for (const x of report.answers) t.comment(`${x.method} ${x.url} ${x.actor} (${x.variant}): ${x.status} ${x.body.slice(0, 160)}`)
    for (const p of report.problems) t.comment(`problem: ${p}`)
  }
  t.same(report.problems, [], 'no route tells an outsider anything of organization A\'s or changes it')
  t.ok(report.secured.length > 0, `${report.secured.length} routes need a token`)
  t.same(report.walked, report.secured, 'every one of them was walked')
  t.same(await options.rows(), before, 'organization A\'s rows are as they were')
  t.comment(`${report.answers.length} requests; not walked (public): ${report.public.join(', ') || 'none'}`)
  return report
}

type Caller = { headers: Record<string, string> }

/** An actor whose headers never change (a token the test signed). */
export const actorWith = (name: string, who: Caller, own?: Record<string, unknown>): WalkActor =>
  ({ name, headers: async () => who.headers, ...(own === undefined ? {} : { own }) })

/** The usual outsiders: organization B's admin, teacher and student (with B's own values), and a teacher and a student of none. */
export const outsiders = (b: { admin: Caller, teacher: Caller, student: Caller }, own: Record<string, unknown>, none: { teacher: Caller, student: Caller }): WalkActor[] => [
  actorWith('admin of B', b.admin, own),
  actorWith('teacher of B', b.teacher, own),
  actorWith('student of B', b.student, own),
  actorWith('teacher of no school', none.teacher),
  actorWith('student of no school', none.student)
]

/** The service under test, as its test helper builds it: the app, its database, and callers with signed tokens. */
export interface WalkContext {
  app: WalkApp
  /** Where organization A's rows are read (organizationRows). */
  sql: postgres.Sql
  as: (role: 'teacher' | 'student', organizationId: null) => Promise<Caller>
}

export interface OutsidersWalk {
  schema: string
  /** A's values by key, and B's own by the same keys (see WalkOptions.values and WalkActor.own). */
  values: Record<string, unknown>
  own: Record<string, unknown>
  /** A's ids: what no answer to an outsider may show, and what A's rows are found by. */
  ids: string[]
  holds: string[]
  b: { admin: Caller, teacher: Caller, student: Caller }
  /** One of A's own, whose reads are the control. */
  insider: WalkActor
}

/**
 * The route walk as exam and analytics run it: B's people and a teacher and a student of no school walk every
 * route that needs a token, and the service has no public route. Then the control: A's own insider walks the
 * reads under the same rules, so a test can show the rules see an answer, a list of A's things and a
 * difference from things that do not exist. Returns the control's problems, one a line, for the test to match.
 */
export async function walkAsOutsiders (t: WalkTest, ctx: WalkContext, options: OutsidersWalk): Promise<string> {
  const { schema, values, ids } = options
  const app = ctx.app
  const rows = await organizationRows(ctx.sql, schema, ids)
  const none = { teacher: await ctx.as('teacher', null), student: await ctx.as('student', null) }
  const report = await assertRouteWalk(t, { app, values, secrets: ids, actors: outsiders(options.b, options.own, none), rows, schema, holds: options.holds })
  t.same(report.public, [], `${schema} has no public route`)
  const control = await walkRoutes({ app, values, secrets: ids, actors: [options.insider], rows, schema, select: (op) => op.secured && op.method === 'GET' })
  return control.problems.join('\n')
}
