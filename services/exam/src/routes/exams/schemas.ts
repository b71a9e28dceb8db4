// Exam requests and answers: create and read exams (teachers, admins), list them (students see the ones
// assigned to their classrooms), assign them to classrooms, and start a session.
import { Type } from 'typebox'
import { Estimator, ExamInput, RapidGuesses } from '../../domain/exam-input.js'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'
import { Accommodations, SessionStep } from '../sessions/schemas.js'

const Kind = Type.Union([Type.Literal('fixed'), Type.Literal('adaptive')])

export const Exam = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  createdBy: Uuid,
  title: Type.String(),
  kind: Kind,
  subject: Type.Union([Type.String(), Type.Null()]),
  topics: Type.Array(Type.String()),
  itemIds: Type.Array(Uuid),
  settings: Type.Object({
    estimator: Estimator,
    startTheta: Type.Number(),
    randomesque: Type.Integer(),
    sympsonHetter: Type.Optional(Type.Record(Type.String(), Type.Number())),
    contentTargets: Type.Optional(Type.Record(Type.String(), Type.Number())),
    pretestRate: Type.Number(),
    rapidGuesses: Type.Optional(RapidGuesses)
  }),
  stopping: Type.Object({
    minItems: Type.Integer(),
    maxItems: Type.Integer(),
    seTarget: Type.Optional(Type.Number()),
    timeLimitSeconds: Type.Optional(Type.Integer())
  }),
  classroomIds: Type.Array(Uuid),
  createdAt: DateTime
})

const AssignedExam = Type.Object({
  id: Uuid,
  title: Type.String(),
  kind: Kind,
  timeLimitSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'the student\'s own: the exam\'s limit times their accommodation profile\'s timeMultiplier, as a session started now gets it' }),
  accommodations: Type.Union([Accommodations, Type.Null()], { description: 'the student\'s accommodation profile in force now; null: none (a session already started keeps the one it started with)' }),
  session: Type.Union([Type.Object({ id: Uuid, status: Type.Union([Type.Literal('in_progress'), Type.Literal('paused'), Type.Literal('suspended'), Type.Literal('completed')]) }), Type.Null()])
})

export const createExamSchema = {
  body: ExamInput,
  response: { 201: Exam, ...errors }
}

export const listExamsSchema = {
  description: 'Teachers and admins: their organization\'s exams. Students: the exams assigned to their classrooms, with their own session of each.',
  querystring: Type.Object(pageQuery, { additionalProperties: false }),
  response: { 200: Type.Object({ exams: Type.Array(Type.Union([Exam, AssignedExam])), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const getExamSchema = {
  params: IdParams,
  response: { 200: Exam, ...errors }
}

export const assignmentSchema = {
  params: Type.Object({ id: Uuid, classroomId: Uuid }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errors }
}

export const startSessionSchema = {
  description: 'Starts the student\'s session of an exam assigned to one of their classrooms (201), or resumes the one in progress (200).',
  params: IdParams,
  response: { 200: SessionStep, 201: SessionStep, ...errors }
}
