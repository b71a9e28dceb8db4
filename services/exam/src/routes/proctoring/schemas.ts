// Proctoring requests: a classroom's live sessions, a session's extension, ending and audit.
import { Type } from 'typebox'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'
import { Accommodations, SessionStep, Status, effortFields } from '../sessions/schemas.js'

const LiveSession = Type.Object({
  id: Uuid,
  studentId: Uuid,
  examId: Uuid,
  examTitle: Type.String(),
  status: Status,
  position: Type.Integer({ description: 'responses recorded so far (pretest ones included): the position of the item being shown' }),
  itemsAnswered: Type.Integer({ description: 'scored items answered' }),
  ...effortFields('so far: a student who may be rushing through'),
  timeLeftS: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'seconds before the deadline; null without a time limit; frozen while paused or suspended' }),
  deadlineAt: Type.Union([DateTime, Type.Null()]),
  pausedAt: Type.Union([DateTime, Type.Null()]),
  pauseReason: Type.Union([Type.String(), Type.Null()]),
  extendedS: Type.Integer({ description: 'seconds teachers or admins added to the time limit' }),
  startedAt: DateTime,
  lastActivityAt: DateTime,
  accommodations: Type.Union([Accommodations, Type.Null()], { description: 'the student\'s accommodation profile the session started with (its time limit scaled by timeMultiplier); null: none' })
})

export const liveSessionsSchema = {
  description: 'The sessions in progress, paused or suspended of the classroom\'s current students in the exams assigned to it, in id order: for its teacher or an admin of its organization.',
  params: Type.Object({ classroomId: Uuid }, { additionalProperties: false }),
  querystring: Type.Object({ ...pageQuery }, { additionalProperties: false }),
  response: { 200: Type.Object({ sessions: Type.Array(LiveSession), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const extendSchema = {
  description: 'Moves a session\'s deadline `seconds` later (at most EXAM_MAX_EXTENSION_S per extension). In progress, paused or suspended sessions with a time limit; one without is 409 EXAM_SESSION_NO_TIME_LIMIT. A teacher of a classroom the exam is assigned to and the student belongs to, or an admin.',
  params: IdParams,
  body: Type.Object({ seconds: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  response: { 200: SessionStep, ...errors }
}

export const endSchema = {
  description: 'Ends a session now, scored on what was answered (stop reason proctor); with `void: true` and a reason, voids it too (its result then counts in no analytics score). An ended session may be voided, once; ending it again is 409 EXAM_SESSION_COMPLETED.',
  params: IdParams,
  body: Type.Object({
    void: Type.Optional(Type.Boolean()),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'required when voiding; kept in the audit' }))
  }, { additionalProperties: false }),
  response: { 200: SessionStep, ...errors }
}

const Action = Type.Object({
  id: Uuid,
  actorId: Uuid,
  actorRole: Type.Union([Type.Literal('teacher'), Type.Literal('admin')]),
  action: Type.Union([Type.Literal('pause'), Type.Literal('resume'), Type.Literal('extend'), Type.Literal('end'), Type.Literal('void')]),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'statusBefore; seconds and deadlines (extend); reason (void, end); pausedMs (resume)' }),
  at: DateTime
})

export const auditSchema = {
  description: 'What teachers and admins did to the session as proctors, oldest first (at most 1000): for those who may proctor it.',
  params: IdParams,
  response: { 200: Type.Object({ actions: Type.Array(Action) }), ...errors }
}
