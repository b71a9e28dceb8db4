// Applies exam's events to analytics' read models. A session, an exam or an item may be first heard of
// through any of its events (a response before its session.started, a session before its item.changed):
// each event inserts the row if it is missing and fills only the columns it knows, so every arrival order
// ends in the same state. Where two events carry the same field, the later changedAt wins.
import { sql } from 'drizzle-orm'
import { analyticsAssignments, analyticsExams, analyticsItems, analyticsResponses, analyticsSessions } from '@dreamseed/schema/analytics'
import type { ExamAssignmentChangedV1, ExamItemChangedV1, ExamResponseRecordedV1, ExamSessionCompletedV1, ExamSessionStartedV1 } from '@dreamseed/events'
import type { Tx } from './deps.js'
import type { Projection } from './organization-events.js'

async function ensureExam (tx: Tx, id: string, organizationId: string, fields: { kind?: string, subject?: string | null } = {}): Promise<void> {
  const e = analyticsExams
  const insert = tx.insert(e).values({ id, organizationId, kind: fields.kind ?? null, subject: fields.subject ?? null })
  // Every response names its exam: responses, the bulk of the events, leave an existing row alone without
  // locking it, so the sessions of one exam do not queue behind each other.
  if (fields.kind === undefined && (fields.subject ?? null) === null) {
    await insert.onConflictDoNothing()
    return
  }
  await insert.onConflictDoUpdate({
    target: e.id,
    set: { kind: sql`coalesce(${e.kind}, excluded.kind)`, subject: sql`coalesce(${e.subject}, excluded.subject)` },
    setWhere: sql`(${e.kind} is null and excluded.kind is not null) or (${e.subject} is null and excluded.subject is not null)`
  })
}

async function ensureSession (tx: Tx, data: { sessionId: string, examId: string, organizationId: string, studentId: string }): Promise<void> {
  await tx.insert(analyticsSessions).values({ id: data.sessionId, examId: data.examId, organizationId: data.organizationId, studentId: data.studentId }).onConflictDoNothing()
}

export const itemChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamItemChangedV1
  const i = analyticsItems
  const row = { organizationId: data.organizationId, subject: data.subject, topics: data.topics, status: data.status, a: data.a, b: data.b, c: data.c, d: data.d, changedAt: new Date(data.changedAt) }
  await tx.insert(i).values({ id: data.itemId, ...row })
    .onConflictDoUpdate({ target: i.id, set: row, setWhere: sql`${i.changedAt} is null or excluded.changed_at > ${i.changedAt}` })
  return [data.organizationId]
}

export const assignmentChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamAssignmentChangedV1
  const at = new Date(data.changedAt)
  const e = analyticsExams
  const exam = { organizationId: data.organizationId, title: data.title, kind: data.examKind, subject: data.subject, changedAt: at }
  await tx.insert(e).values({ id: data.examId, ...exam })
    .onConflictDoUpdate({ target: e.id, set: exam, setWhere: sql`${e.changedAt} is null or excluded.changed_at > ${e.changedAt}` })
  const a = analyticsAssignments
  await tx.insert(a).values({ classroomId: data.classroomId, examId: data.examId, organizationId: data.organizationId, assigned: data.assigned, changedAt: at })
    .onConflictDoUpdate({ target: [a.classroomId, a.examId], set: { assigned: data.assigned, changedAt: at }, setWhere: sql`excluded.changed_at > ${a.changedAt}` })
  return [data.organizationId]
}

export const sessionStarted: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionStartedV1
  await ensureExam(tx, data.examId, data.organizationId, { kind: data.examKind })
  const s = analyticsSessions
  await tx.insert(s).values({ id: data.sessionId, examId: data.examId, organizationId: data.organizationId, studentId: data.studentId, examKind: data.examKind, startedAt: new Date(data.startedAt) })
    .onConflictDoUpdate({ target: s.id, set: { examKind: data.examKind, startedAt: new Date(data.startedAt) } })
  return [data.organizationId]
}

export const responseRecorded: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamResponseRecordedV1
  await ensureExam(tx, data.examId, data.organizationId)
  await ensureSession(tx, data)
  await tx.insert(analyticsItems).values({ id: data.itemId, organizationId: data.organizationId }).onConflictDoNothing()
  await tx.insert(analyticsResponses).values({
    sessionId: data.sessionId,
    position: data.position,
    itemId: data.itemId,
    examId: data.examId,
    organizationId: data.organizationId,
    studentId: data.studentId,
    correct: data.correct,
    pretest: data.pretest,
    thetaAfter: data.thetaAfter,
    seAfter: data.seAfter,
    timeTakenMs: data.timeTakenMs,
    answeredAt: new Date(data.answeredAt),
    answeredOn: new Date(data.answeredAt).toISOString().slice(0, 10)
  }).onConflictDoNothing()
  return [data.organizationId]
}

export const sessionCompleted: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionCompletedV1
  const subject = data.subject ?? null
  await ensureExam(tx, data.examId, data.organizationId, { subject })
  const s = analyticsSessions
  const result = {
    completedAt: new Date(data.completedAt),
    subject,
    reason: data.reason,
    theta: data.theta,
    se: data.se,
    itemsAnswered: data.itemsAnswered,
    correctCount: data.correctCount
  }
  await tx.insert(s).values({ id: data.sessionId, examId: data.examId, organizationId: data.organizationId, studentId: data.studentId, startedAt: new Date(data.startedAt), ...result })
    .onConflictDoUpdate({ target: s.id, set: { ...result, startedAt: sql`coalesce(${s.startedAt}, excluded.started_at)` } })
  return [data.organizationId]
}
