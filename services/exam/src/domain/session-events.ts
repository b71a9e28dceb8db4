// Outgoing: the events a session writes to the outbox, built from its state: what analytics needs, never a key or the
// option a student chose.
import { examResponseRecordedV1, examSessionCompletedV1, examSessionExtendedV1, examSessionPausedV1, examSessionResumedV1, examSessionStartedV1, examSessionVoidedV1, newEnvelope, type Envelope } from '@dreamseed/events'
import type { SessionResult } from '@dreamseed/schema/exam'
import type { StopReasonName } from './cat-step.js'
import type { PauseReason, RecordedResponse, RequestContext, SessionState } from './model.js'

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
  deadlineAt: s.deadlineAt?.toISOString() ?? null,
  accommodations: s.accommodations
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
  answeredAt: r.answeredAt.toISOString(),
  rapidGuess: r.rapidGuess
}, meta)

/**
 * `endedBy`: a paused or suspended session ended because its resume window passed, or a teacher or an admin
 * ended it (reason time-limit for both: v1's reasons stay as they are).
 */
export const sessionCompleted = (s: SessionState, reason: StopReasonName, result: SessionResult, meta: Meta, endedBy?: 'resume-window' | 'proctor'): Envelope => newEnvelope(examSessionCompletedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  subject: s.exam.subject,
  reason,
  ...(endedBy === undefined ? {} : { endedBy }),
  ...result,
  accommodations: s.accommodations,
  startedAt: s.startedAt.toISOString(),
  completedAt: meta.now.toISOString()
}, meta)

/** The session's ids, as every pause and resume event carries them. */
type Ids = Pick<SessionState, 'id' | 'examId' | 'organizationId' | 'studentId'>

/** `at`: when the clock stopped (a suspended session's last activity); `by`: null when the server suspended it. */
export const sessionPaused = (s: Ids, pause: { by: string | null, reason: PauseReason, at: Date }, meta: Meta): Envelope => newEnvelope(examSessionPausedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  by: pause.by,
  reason: pause.reason,
  at: pause.at.toISOString()
}, meta)

export const sessionResumed = (s: Ids, resume: { by: string, reason: Exclude<PauseReason, 'idle'>, pausedMs: number, deadlineAt: Date | null }, meta: Meta): Envelope => newEnvelope(examSessionResumedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  by: resume.by,
  reason: resume.reason,
  at: meta.now.toISOString(),
  pausedMs: resume.pausedMs,
  deadlineAt: resume.deadlineAt?.toISOString() ?? null
}, meta)

/** `deadlineAt`: the new deadline, `seconds` later than the one before. */
export const sessionExtended = (s: Ids, extension: { by: string, seconds: number, deadlineAt: Date }, meta: Meta): Envelope => newEnvelope(examSessionExtendedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  by: extension.by,
  seconds: extension.seconds,
  deadlineAt: extension.deadlineAt.toISOString(),
  at: meta.now.toISOString()
}, meta)

export const sessionVoided = (s: Ids, voiding: { by: string, reason: string }, meta: Meta): Envelope => newEnvelope(examSessionVoidedV1, {
  sessionId: s.id,
  examId: s.examId,
  organizationId: s.organizationId,
  studentId: s.studentId,
  by: voiding.by,
  reason: voiding.reason,
  at: meta.now.toISOString()
}, meta)
