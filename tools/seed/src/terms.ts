// Two terms with results in both, so analytics' growth views have data: each student takes the autumn exam,
// the autumn term is closed at that moment, then each takes the spring exam in the spring term that starts
// there. Everything goes through the services' APIs: sessions are taken as students take them (exam records
// when they ended), the terms are set by the admin in analytics; no table is written behind a service's back.
// A term found by name is kept, with its round of sessions, so running the seed again changes nothing.
import { call as request, type CallResult } from '@dreamseed/testing/http-client'

export const AUTUMN = 'Autumn (demo)'
export const SPRING = 'Spring (demo)'
export const SPRING_EXAM_TITLE = 'Math check, spring (demo)'
const DAY = 86_400_000

interface Reply extends CallResult { body: any } // eslint-disable-line @typescript-eslint/no-explicit-any -- each route's own answer
const call = async (...args: Parameters<typeof request>): Promise<Reply> => await request(...args) as Reply

export interface TermsOptions {
  examUrl: string
  analyticsUrl: string
  admin: string
  teacher: string
  /** Student tokens, in the seed's order. */
  students: string[]
  classroomId: string
  autumnExamId: string
  retry: (what: string, attempt: () => Promise<Reply | undefined>) => Promise<Reply>
  log: (line: string) => void
}

export interface SeededTerms { autumn: string, spring: string, sessions: number }

/**
 * One student's session of an exam, answered as a student of `skill` (0..10) would: the right option (the
 * number the demo stem asks for) on `skill` of every ten items, another otherwise. An exam already completed is left as it is.
 */
async function takeExam (examUrl: string, token: string, examId: string, skill: number): Promise<boolean> {
  const started = await call(examUrl, 'POST', `/exam/exams/${examId}/sessions`, token)
  if (started.status === 409 && started.body?.error?.code === 'EXAM_ALREADY_COMPLETED') return false
  if (started.status !== 201 && started.status !== 200) throw new Error(`start a session: HTTP ${started.status} ${started.text.slice(0, 300)}`)
  const sessionId = started.body.session.id as string
  let item = started.body.item as { id: string, stem: string, options: string[] } | null
  for (let answered = 0; item !== null; answered++) {
    const right = Math.max(0, item.options.indexOf(/which [a-z ]+ is (\d+)\?/.exec(item.stem)?.[1] ?? ''))
    const optionIndex = (answered * 7 + skill) % 10 < skill ? right : (right + 1) % item.options.length
    const step = await call(examUrl, 'POST', `/exam/sessions/${sessionId}/answers`, token, { itemId: item.id, optionIndex, timeTakenMs: 4000 })
    if (step.status !== 200) throw new Error(`answer: HTTP ${step.status} ${step.text.slice(0, 300)}`)
    item = step.body.item
  }
  return true
}

export async function seedTerms (o: TermsOptions): Promise<SeededTerms> {
  const listed = await call(o.analyticsUrl, 'GET', '/analytics/terms', o.admin)
  if (listed.status !== 200) throw new Error(`list the terms: HTTP ${listed.status} ${listed.text.slice(0, 300)}`)
  const terms = listed.body.terms as Array<{ id: string, name: string, startsAt: string, endsAt: string }>
  let autumn = terms.find((t) => t.name === AUTUMN)
  let spring = terms.find((t) => t.name === SPRING)
  let sessions = 0
  const round = async (examId: string, bonus: number): Promise<void> => {
    for (const [i, token] of o.students.entries()) if (await takeExam(o.examUrl, token, examId, Math.min(10, 3 + i + bonus))) sessions++
  }
  const addTerm = async (name: string, startsAt: Date, endsAt: Date) => {
    const reply = await call(o.analyticsUrl, 'POST', '/analytics/terms', o.admin, { name, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() })
    if (reply.status !== 201) throw new Error(`add the term ${name}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`)
    o.log(`added the term "${name}" (${startsAt.toISOString().slice(0, 10)} to ${endsAt.toISOString().slice(0, 10)})`)
    return reply.body as { id: string, endsAt: string }
  }

  if (autumn === undefined) {
    await round(o.autumnExamId, 0)
    // Closed now: the sessions just taken are in it, the next round is not.
    const now = new Date()
    autumn = { ...await addTerm(AUTUMN, new Date(now.getTime() - 90 * DAY), now), name: AUTUMN, startsAt: '' }
  } else o.log(`found the term "${AUTUMN}"`)

  if (spring === undefined) {
    const exams = (await call(o.examUrl, 'GET', '/exam/exams?limit=100', o.teacher)).body.exams as Array<{ id: string, title: string }>
    const exam = exams.find((e) => e.title === SPRING_EXAM_TITLE) ?? (await call(o.examUrl, 'POST', '/exam/exams', o.teacher, {
      title: SPRING_EXAM_TITLE, kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 3, stopping: { minItems: 5, maxItems: 15, seTarget: 0.35 }
    })).body as { id: string }
    await o.retry('assign the spring exam', async () => {
      const reply = await call(o.examUrl, 'PUT', `/exam/exams/${exam.id}/classrooms/${o.classroomId}`, o.teacher)
      return reply.status === 204 ? reply : undefined
    })
    await round(exam.id, 2)
    const startsAt = new Date(autumn.endsAt)
    spring = { ...await addTerm(SPRING, startsAt, new Date(startsAt.getTime() + 180 * DAY)), name: SPRING, startsAt: '' }
  } else o.log(`found the term "${SPRING}"`)
  if (sessions > 0) o.log(`${sessions} sessions taken (each student once per term)`)
  return { autumn: autumn.id, spring: spring.id, sessions }
}
