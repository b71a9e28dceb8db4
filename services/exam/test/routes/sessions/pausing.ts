// What the pause, suspension and resume tests share: an exam assigned to a school's classroom, a student
// walking it with a fixed pattern of right and wrong answers, and what the database holds of a session.
import type { ExamApp } from '../../../src/app.js'
import { newOrganization, school, type ExamContext } from '../../helper.js'

export type Headers = Record<string, string>
export type School = Awaited<ReturnType<typeof school>>

export const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE

/** A clock the test moves, starting at a fixed instant. */
export function testClock (start = '2026-03-02T09:00:00Z') {
  let at = Date.parse(start)
  return { now: () => new Date(at), advance: (ms: number) => { at += ms }, at: () => at }
}

export async function assignedExam (ctx: ExamContext, s: School, body: Record<string, unknown>): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'E', ...body } })
  if (res.statusCode !== 201) throw new Error(`exam not created: ${res.body}`)
  const assigned = await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${res.json().id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  if (assigned.statusCode !== 204) throw new Error(`not assigned: ${assigned.body}`)
  return res.json().id
}

/** The key of an item, read the way only a test may. */
export async function keyOf (ctx: ExamContext, itemId: string): Promise<number> {
  return (await ctx.sql`select correct_index from exam.items where id = ${itemId}`)[0]!.correct_index
}

/** Answers the item shown at `position`: wrongly at every third position, else rightly (the same walk for every student). */
export async function answerAt (ctx: ExamContext, app: ExamApp, headers: Headers, sessionId: string, item: { id: string, options: string[] }, position: number) {
  const key = await keyOf(ctx, item.id)
  const optionIndex = position % 3 === 0 ? (key + 1) % item.options.length : key
  return await app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers, payload: { itemId: item.id, optionIndex } })
}

export const post = async (app: ExamApp, url: string, headers: Headers) => await app.inject({ method: 'POST', url, headers })

/** What the database holds of a session's walk: each response's item, correctness, theta and SE. */
export async function walkOf (ctx: ExamContext, sessionId: string) {
  return (await ctx.sql`select position, item_id, correct, pretest, theta_after, se_after from exam.responses where session_id = ${sessionId} order by position`)
    .map((r) => [r.position, r.item_id, r.correct, r.pretest, r.theta_after, r.se_after])
}

/** Everything a refused request must leave as it was: the session row, its responses and its events. */
export async function footprint (ctx: ExamContext, sessionId: string) {
  const [row] = await ctx.sql`select * from exam.sessions where id = ${sessionId}`
  const responses = (await ctx.sql`select count(*)::int as n from exam.responses where session_id = ${sessionId}`)[0]!.n
  const events = (await ctx.sql`select count(*)::int as n from exam.outbox where aggregate_id = ${sessionId}`)[0]!.n
  return { row, responses, events }
}

export async function eventsOf (ctx: ExamContext, sessionId: string, type: string) {
  return await ctx.sql<Array<{ envelope: { data: Record<string, unknown> } & Record<string, unknown> }>>`select envelope from exam.outbox where aggregate_id = ${sessionId} and type = ${type} order by id`
}

export { newOrganization, school }
