// A mixed adaptive exam taken through the running platform (issue 19), the same on one process and on the
// cluster: a bank of every item type (right/wrong, partial credit under GPCM, ratings under GRM, numeric, text)
// with two passages and enemy pairs, an adaptive exam over it, and students answering in each type's field.
// What each session was given and scored is returned; checkMixedRun states what must hold of it.
import { call } from './http-client.js'
import { pool, type PlatformClient, type School } from './platform-client.js'
import { waitFor } from './wait.js'

export const MIXED_SUBJECT = 'reading'
export const MIXED_LENGTH = 14

/** Import lines: 12 right/wrong items (4 of them numeric, 2 text), 3 ratings, 3 partial-credit items, 2 passages of 3, 2 enemy pairs. */
export function mixedBank (): Array<Record<string, unknown>> {
  const subject = MIXED_SUBJECT
  const lines: Array<Record<string, unknown>> = [
    { kind: 'passage', ref: 'pa', title: 'The lighthouse', stimulus: 'The lighthouse was built in 1851 on a rock two miles out.' },
    { kind: 'passage', ref: 'pb', title: 'The orchard', stimulus: 'The orchard has 120 trees: apples, pears and plums.' }
  ]
  for (let i = 0; i < 6; i++) {
    lines.push({ ref: `s${i}`, stem: `Single ${i}?`, options: ['a', 'b', 'c'], correctIndex: i % 3, subject, topics: ['single'], a: 1.2, b: -2 + (4 * i) / 5, status: 'active', ...(i === 1 ? { enemies: ['s0'] } : {}) })
  }
  for (let i = 0; i < 4; i++) lines.push({ ref: `n${i}`, type: 'numeric', stem: `Number ${i}?`, numeric: { value: 10 * i + 0.5, tolerance: 0.05 }, subject, topics: ['numeric'], a: 1.4, b: -1.5 + i, status: 'active', ...(i === 1 ? { enemies: ['n0'] } : {}) })
  for (let i = 0; i < 2; i++) lines.push({ ref: `t${i}`, type: 'text', stem: `Word ${i}?`, accepted: [`Answer ${i}`, `Reply ${i}`], subject, topics: ['text'], a: 1.1, b: i - 0.5, status: 'active' })
  for (let i = 0; i < 3; i++) {
    lines.push({ ref: `r${i}`, type: 'rating', stem: `Rating ${i}`, options: ['never', 'sometimes', 'often', 'always'], subject, topics: ['rating'], irt: { model: 'GRM', a: 1.6, b: [-1.2 + i / 2, -0.2 + i / 2, 0.8 + i / 2] }, status: 'active' })
    lines.push({ ref: `m${i}`, type: 'multiple', stem: `Multiple ${i}`, options: ['w', 'x', 'y', 'z'], correctIndices: [0, 2], subject, topics: ['multiple'], irt: { model: 'GPCM', a: 1.5, delta: [-0.6 + i / 2, 0.4 + i / 2] }, status: 'active' })
  }
  for (const p of ['pa', 'pb']) {
    for (let k = 0; k < 3; k++) lines.push({ ref: `${p}${k}`, stem: `${p} question ${k}?`, options: ['yes', 'no'], correctIndex: k % 2, subject, topics: ['single'], a: 2.2, b: (p === 'pa' ? -0.3 : 0.2) + k / 10, passage: p, status: 'active' })
  }
  return lines
}

interface KeyRow { id: string, ref: string, type: string, correct_index: number | null, key: Record<string, unknown> | null }

/** Whether a student gives the full-credit answer to an item: a fixed function of the two, so every run answers alike. */
const answersWell = (ref: string, student: number): boolean => (ref.charCodeAt(0) + Number(ref.slice(-1)) + student) % 3 !== 0

/** The answer a student gives, in the item's field, and the score it must get. */
export function mixedAnswer (item: KeyRow, student: number): { answer: Record<string, unknown>, score: number, maxScore: number } {
  const good = answersWell(item.ref, student)
  switch (item.type) {
    case 'multiple': return good ? { answer: { choices: [2, 0] }, score: 2, maxScore: 2 } : { answer: { choices: [0, 1] }, score: 0, maxScore: 2 }
    case 'rating': return { answer: { optionIndex: good ? 3 : 1 }, score: good ? 3 : 1, maxScore: 3 }
    case 'numeric': return { answer: { value: (item.key!.value as number) + (good ? 0.04 : 0.06) }, score: good ? 1 : 0, maxScore: 1 }
    case 'text': return { answer: { text: good ? `  ${(item.key!.accepted as string[])[1]!.toUpperCase()} ` : 'no idea' }, score: good ? 1 : 0, maxScore: 1 }
    default: return { answer: { optionIndex: good ? item.correct_index! : (item.correct_index! + 1) % 2 }, score: good ? 1 : 0, maxScore: 1 }
  }
}

export interface MixedSession {
  sessionId: string
  student: number
  /** The refs of the items given, in order, and what each answer had to score. */
  given: string[]
  expected: Array<[number, number]>
  statuses: number[]
  result: { theta: number, se: number, types?: Array<{ type: string, answered: number, correct: number, score: number, maxScore: number }> } | null
}

export interface MixedRun {
  examId: string
  sessions: MixedSession[]
  /** What exam recorded for each session: [score, maxScore] per response, in order. */
  recorded: Map<string, Array<[number, number]>>
  refs: Map<string, string>
}

/** Imports the mixed bank into the school's organization, makes and assigns the exam, and has every student take it. */
export async function runMixedExam (platform: PlatformClient, school: School): Promise<MixedRun> {
  const exam = platform.url('exam')
  const imported = await call(exam, 'POST', '/exam/items/import', school.teacher, mixedBank().map((l) => JSON.stringify(l)).join('\n'), 'application/x-ndjson')
  if (imported.status !== 201) throw new Error(`mixed import answered ${imported.status}: ${JSON.stringify(imported.body)}`)
  const rows = await platform.sql<KeyRow[]>`select id, ref, type, correct_index, key from exam.items where organization_id = ${school.organizationId} and subject = ${MIXED_SUBJECT}`
  const byId = new Map(rows.map((r) => [r.id, r]))
  const created = await call(exam, 'POST', '/exam/exams', school.teacher, {
    title: 'Reading, every type',
    kind: 'adaptive',
    subject: MIXED_SUBJECT,
    randomesque: 2,
    // Each item's topic is its type: content balancing gives every session every type.
    contentTargets: { single: 2, multiple: 1, numeric: 1, text: 1, rating: 1 },
    stopping: { minItems: MIXED_LENGTH, maxItems: MIXED_LENGTH } })
  if (created.status !== 201) throw new Error(`mixed exam answered ${created.status}`)
  const examId = created.body!.id as string
  await waitFor(async () => (await call(exam, 'PUT', `/exam/exams/${examId}/classrooms/${school.classroomId}`, school.teacher)).status === 204, { what: 'the classroom to reach exam', timeoutMs: 30000 })

  const sessions = await pool(school.students, 3, async (s, student): Promise<MixedSession> => {
    const started = await call(exam, 'POST', `/exam/exams/${examId}/sessions`, s.token)
    const session: MixedSession = { sessionId: started.body?.session?.id ?? '', student, given: [], expected: [], statuses: [started.status], result: null }
    let item = started.body?.item as { id: string } | null | undefined
    while (item !== null && item !== undefined && session.given.length < 2 * MIXED_LENGTH) {
      const row = byId.get(item.id)!
      const { answer, score, maxScore } = mixedAnswer(row, student)
      session.given.push(row.ref)
      session.expected.push([score, maxScore])
      const step = await call(exam, 'POST', `/exam/sessions/${session.sessionId}/answers`, s.token, { itemId: item.id, ...answer, timeTakenMs: 5000 })
      session.statuses.push(step.status)
      if (step.status !== 200) break
      item = step.body!.item
      session.result = step.body!.result ?? null
    }
    return session
  })
  const recorded = new Map<string, Array<[number, number]>>()
  for (const s of sessions) {
    const rows = await platform.sql<Array<{ score: number, max_score: number }>>`select score, max_score from exam.responses where session_id = ${s.sessionId} order by position`
    recorded.set(s.sessionId, rows.map((r) => [r.score, r.max_score]))
  }
  return { examId, sessions, recorded, refs: new Map(rows.map((r) => [r.id, r.ref])) }
}

/** The assertions of a tap test that checkMixedRun uses. */
interface Assert {
  same: (found: unknown, wanted: unknown, message: string) => unknown
  ok: (value: unknown, message: string) => unknown
  notOk: (value: unknown, message: string) => unknown
}

/**
 * What analytics must show of a run, read through `analyticsUrl` by the school's teacher once every session has
 * reached it: the exam summary's scores by item type add up to what the answers scored, and a rating item's
 * category frequencies count exactly the categories its answers were scored in.
 */
export async function checkMixedInAnalytics (t: Assert, analyticsUrl: string, school: School, run: MixedRun): Promise<void> {
  const summary = await waitFor(async () => {
    const res = await call(analyticsUrl, 'GET', `/analytics/exams/${run.examId}`, school.teacher)
    return res.status === 200 && res.body!.completions === run.sessions.length ? res.body! : undefined
  }, { what: 'every session in analytics\' exam summary', timeoutMs: 60_000 })
  t.same(summary.title, 'Reading, every type', 'the exam summary')
  const types = summary.types as Array<{ type: string, answered: number, score: number, maxScore: number }>
  const expected = run.sessions.flatMap((s) => s.expected)
  t.same(types.reduce((n, x) => n + x.answered, 0), expected.length, 'answers by type add up to every answer')
  t.same(types.reduce((n, x) => n + x.score, 0), expected.reduce((n, [score]) => n + score, 0), 'scores by type add up to what the answers scored')
  t.same(types.reduce((n, x) => n + x.maxScore, 0), expected.reduce((n, [, max]) => n + max, 0), 'and to the most they could score')
  const idOf = new Map([...run.refs].map(([id, ref]) => [ref, id]))
  const rated = new Map<string, number[]>()
  for (const s of run.sessions) s.given.forEach((ref, i) => { if (ref.startsWith('r')) rated.set(ref, [...(rated.get(ref) ?? []), s.expected[i]![0]]) })
  for (const [ref, scores] of rated) {
    const stats = (await call(analyticsUrl, 'GET', `/analytics/items/${idOf.get(ref)!}`, school.teacher)).body!
    const counts = [0, 1, 2, 3].map((k) => scores.filter((x) => x === k).length)
    t.same((stats.categoryFrequencies as Array<{ category: number, count: number }>).map((c) => c.count), counts, `${ref}: analytics counts each category its answers scored`)
  }
}

/** What every run must show: full sessions, passages whole and in order, no two enemies, each answer scored by its type. */
export function checkMixedRun (t: Assert, run: MixedRun): void {
  t.ok(run.sessions.length > 0, `${run.sessions.length} sessions`)
  const passages = new Set<string>()
  const types = new Set<string>()
  for (const s of run.sessions) {
    t.ok(s.statuses.every((c) => c === 200 || c === 201), `student ${s.student}: every request answered (${s.statuses.join(',')})`)
    t.same(s.given.length, MIXED_LENGTH, `student ${s.student}: the exam's length`)
    t.ok(s.result !== null && Number.isFinite(s.result.theta), `student ${s.student}: a result`)
    for (const p of ['pa', 'pb']) {
      const at = s.given.flatMap((r, i) => (r.startsWith(p) ? [i] : []))
      if (at.length === 0) continue
      passages.add(p)
      t.same(at.map((i) => s.given[i]), [`${p}0`, `${p}1`, `${p}2`], `student ${s.student}: ${p} whole and in order`)
      t.same(at[2]! - at[0]!, 2, `student ${s.student}: ${p} one item after another`)
    }
    t.notOk(s.given.includes('s0') && s.given.includes('s1'), `student ${s.student}: s0 and s1 are enemies`)
    t.notOk(s.given.includes('n0') && s.given.includes('n1'), `student ${s.student}: n0 and n1 are enemies`)
    t.same(run.recorded.get(s.sessionId), s.expected, `student ${s.student}: each answer scored by its type`)
    const given = new Set(s.given.map((r) => (r[0] === 'p' ? 's' : r[0]!)))
    t.same([...given].sort(), ['m', 'n', 'r', 's', 't'], `student ${s.student}: every item type given`)
    for (const r of given) types.add(r)
    const byType = new Map<string, number>()
    for (const t of s.result?.types ?? []) byType.set(t.type, t.maxScore)
    t.same([...byType.values()].reduce((x, y) => x + y, 0), s.expected.reduce((x, [, m]) => x + m, 0), `student ${s.student}: the result's types add up to the most the answers could score`)
  }
  t.ok(passages.size > 0, `a passage was given (${[...passages].join(', ')})`)
  t.ok(types.has('r') || types.has('m'), `a polytomous item was given (${[...types].join(', ')})`)
}
