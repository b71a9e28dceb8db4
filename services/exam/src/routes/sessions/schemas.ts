// Session requests and answers. What a student gets never holds a key or an item parameter.
import { Type } from 'typebox'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'

const Status = Type.Union([Type.Literal('in_progress'), Type.Literal('completed')])

export const Result = Type.Object({
  theta: Type.Number(),
  se: Type.Number(),
  itemsAnswered: Type.Integer(),
  correctCount: Type.Integer(),
  topics: Type.Array(Type.Object({ topic: Type.String(), answered: Type.Integer(), correct: Type.Integer() }))
})

export const Session = Type.Object({
  id: Uuid,
  examId: Uuid,
  studentId: Uuid,
  status: Status,
  startedAt: DateTime,
  deadlineAt: Type.Union([DateTime, Type.Null()]),
  completedAt: Type.Union([DateTime, Type.Null()]),
  stopReason: Type.Union([Type.String(), Type.Null()]),
  itemsAnswered: Type.Integer(),
  responseCount: Type.Integer(),
  result: Type.Union([Result, Type.Null()])
})

export const StudentItem = Type.Object({ id: Uuid, stem: Type.String(), options: Type.Array(Type.String()), position: Type.Integer() })

export const SessionStep = Type.Object({
  session: Session,
  item: Type.Union([StudentItem, Type.Null()]),
  result: Type.Union([Result, Type.Null()])
})

const Response = Type.Object({
  position: Type.Integer(),
  itemId: Uuid,
  optionIndex: Type.Integer(),
  correct: Type.Boolean(),
  pretest: Type.Boolean(),
  thetaAfter: Type.Number(),
  seAfter: Type.Number(),
  timeTakenMs: Type.Union([Type.Integer(), Type.Null()]),
  servedAt: DateTime,
  answeredAt: DateTime
})

export const getSessionSchema = {
  description: 'A session for its student, or for a teacher or admin of its organization (who also get every response).',
  params: IdParams,
  response: { 200: Type.Intersect([Session, Type.Object({ responses: Type.Optional(Type.Array(Response)) })]), ...errors }
}

export const listSessionsSchema = {
  description: 'A student\'s own sessions; a teacher\'s or admin\'s organization\'s (of one exam with examId).',
  querystring: Type.Object({ ...pageQuery, examId: Type.Optional(Uuid) }, { additionalProperties: false }),
  response: { 200: Type.Object({ sessions: Type.Array(Session), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const currentSchema = {
  description: 'The item being shown, or the result once the session has ended.',
  params: IdParams,
  response: { 200: SessionStep, ...errors }
}

export const answerSchema = {
  description: 'Answers the item being shown. Sending the same answer again returns the same outcome; another option for an answered item is 409 EXAM_ANSWER_CONFLICT.',
  params: IdParams,
  body: Type.Object({
    itemId: Uuid,
    optionIndex: Type.Integer({ minimum: 0, maximum: 5 }),
    timeTakenMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 }))
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      answer: Type.Object({ itemId: Uuid, optionIndex: Type.Integer(), position: Type.Integer(), timeTakenMs: Type.Union([Type.Integer(), Type.Null()]) }),
      session: Session,
      item: Type.Union([StudentItem, Type.Null()]),
      result: Type.Union([Result, Type.Null()])
    }),
    ...errors
  }
}
