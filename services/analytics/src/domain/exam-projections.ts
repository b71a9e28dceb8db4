// Applies exam's events to analytics' read models. A session, an exam or an item may be first heard of
// through any of its events (a response before its session.started, a session before its item.changed):
// each event inserts the row if it is missing and fills only the columns it knows, so every arrival order
// ends in the same state. Where two events carry the same field, the later changedAt wins.
import type { ExamAssignmentChangedV1, ExamItemChangedV1, ExamResponseRecordedV1, ExamSessionCompletedV1, ExamSessionExtendedV1, ExamSessionStartedV1, ExamSessionVoidedV1 } from '@dreamseed/events'
import { createExamsRepository } from '../repositories/exams-repository.js'
import { createItemsRepository } from '../repositories/items-repository.js'
import { createResponsesRepository, type NewResponse } from '../repositories/responses-repository.js'
import { createSessionsRepository } from '../repositories/sessions-repository.js'
import type { Projection } from './projection.js'

export const itemChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamItemChangedV1
  // type, categories and irt as the event carries them (null: absent, read as a single item of two categories).
  await createItemsRepository(tx).upsert(data.itemId, {
    organizationId: data.organizationId, subject: data.subject, topics: data.topics, status: data.status, a: data.a, b: data.b, c: data.c, d: data.d, changedAt: new Date(data.changedAt),
    type: data.type ?? null, categories: data.categories ?? null, irt: data.irt ?? null
  })
  return [data.organizationId]
}

export const assignmentChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamAssignmentChangedV1
  const changedAt = new Date(data.changedAt)
  const exams = createExamsRepository(tx)
  await exams.upsert(data.examId, { organizationId: data.organizationId, title: data.title, kind: data.examKind, subject: data.subject, changedAt })
  await exams.setAssignment({ classroomId: data.classroomId, examId: data.examId, organizationId: data.organizationId, assigned: data.assigned, changedAt })
  return [data.organizationId]
}

export const sessionStarted: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionStartedV1
  await createExamsRepository(tx).ensure(data.examId, data.organizationId, { kind: data.examKind })
  // started and completed carry the same profile (exam's copy on the session), so either may come first.
  await createSessionsRepository(tx).start(data, data.examKind, new Date(data.startedAt), data.accommodations)
  return [data.organizationId]
}

/** The row an answer is kept as; a batch of responses (response-batch.ts) writes the same. */
export const responseRow = (data: ExamResponseRecordedV1): NewResponse => ({
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
  answeredOn: new Date(data.answeredAt).toISOString().slice(0, 10),
  // An event from before item types scored right/wrong: 1 or 0 out of 1.
  score: data.score ?? (data.correct ? 1 : 0),
  maxScore: data.maxScore ?? 1,
  // An event from before exam judged rapid guesses: not known.
  rapidGuess: data.rapidGuess ?? null
})

export const responseRecorded: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamResponseRecordedV1
  await createExamsRepository(tx).ensure(data.examId, data.organizationId)
  await createSessionsRepository(tx).ensure(data)
  await createItemsRepository(tx).ensure(data.itemId, data.organizationId)
  await createResponsesRepository(tx).record(responseRow(data))
  return [data.organizationId]
}

export const sessionCompleted: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionCompletedV1
  const subject = data.subject ?? null
  await createExamsRepository(tx).ensure(data.examId, data.organizationId, { subject })
  await createSessionsRepository(tx).complete(data, new Date(data.startedAt), {
    completedAt: new Date(data.completedAt),
    subject,
    reason: data.reason,
    theta: data.theta,
    se: data.se,
    itemsAnswered: data.itemsAnswered,
    correctCount: data.correctCount,
    types: data.types ?? null,
    // Response-time effort as exam judged it (an event from before: not known).
    rapidGuesses: data.rapidGuesses ?? null,
    effort: data.effort ?? null,
    lowEffort: data.lowEffort ?? null
  }, data.accommodations)
  return [data.organizationId]
}

/**
 * A voided session stays as a row, marked, and counts in nothing: its responses are removed (and any arriving
 * later are not kept: responses-repository.ts), and every report reads only sessions not voided.
 */
export const sessionVoided: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionVoidedV1
  await createExamsRepository(tx).ensure(data.examId, data.organizationId)
  await createSessionsRepository(tx).void(data, new Date(data.at), data.reason)
  await createResponsesRepository(tx).dropSession(data.sessionId)
  return [data.organizationId]
}

export const sessionExtended: Projection = async (tx, envelope) => {
  const data = envelope.data as ExamSessionExtendedV1
  await createExamsRepository(tx).ensure(data.examId, data.organizationId)
  await createSessionsRepository(tx).extend(data, data.seconds, new Date(data.deadlineAt), new Date(data.at))
  return [data.organizationId]
}
