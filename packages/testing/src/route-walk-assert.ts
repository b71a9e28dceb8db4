// The route walk as a service's test asserts it: no problem, every route that needs a token walked (and there
// is at least one), organization A's rows as they were. WALK_VERBOSE=1 prints every answer and problem.
import { walkRoutes, type WalkActor, type WalkOptions, type WalkReport } from './route-walk.js'

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
