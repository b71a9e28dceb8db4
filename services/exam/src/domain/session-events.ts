// Outgoing: the events a session writes to the outbox, built from its state: what analytics needs, never a key or the
// option a student chose.
import { examResponseRecordedV1, examSessionCompletedV1, examSessionStartedV1, newEnvelope, type Envelope } from '@dreamseed/events'
import type { SessionResult } from '@dreamseed/schema/exam'
import type { StopReasonName } from './cat-step.js'
import type { RecordedResponse, RequestContext, SessionState } from './model.js'

/** The request's context and the time of the change. */
type Meta = RequestContext & { now: Date }

export const sessionStarted = (s: SessionState, meta: Meta): Envelope => newEnvelope(examSessionStartedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  examKind: s.exam.kind,
  startTheta: s.exam.settings.startTheta,
  startedAt: s.startedAt.toISOString(),
  deadlineAt: s.deadlineAt?.toISOString() ?? null
}, meta)

export const responseRecorded = (s: SessionState, r: RecordedResponse, meta: Meta): Envelope => newEnvelope(examResponseRecordedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  itemId: r.itemId,
  position: r.position,
  correct: r.correct,
  score: r.score,
  maxScore: r.maxScore,
  pretest: r.pretest,
  thetaAfter: r.thetaAfter,
  seAfter: r.seAfter,
  timeTakenMs: r.timeTakenMs,
  servedAt: r.servedAt.toISOString(),
  answeredAt: r.answeredAt.toISOString()
}, meta)

export const sessionCompleted = (s: SessionState, reason: StopReasonName, result: SessionResult, meta: Meta): Envelope => newEnvelope(examSessionCompletedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  subject: s.exam.subject,
  reason,
  ...result,
  startedAt: s.startedAt.toISOString(),
  completedAt: meta.now.toISOString()
}, meta)
