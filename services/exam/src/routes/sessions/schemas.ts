// Session requests and answers. What a student gets never holds a key or an item parameter.
import { Type } from 'typebox'
import { AccommodationsSchema } from '@dreamseed/events'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'
import { MAX_OPTIONS } from '../../domain/item-input.js'
import { MAX_TEXT_ANSWER } from '../../domain/scoring.js'

/** As auth's contract has it (packages/events); flags from its closed list. */
export const Accommodations = AccommodationsSchema

export const Status = Type.Union([Type.Literal('in_progress'), Type.Literal('paused'), Type.Literal('suspended'), Type.Literal('completed')], { description: 'paused (by the student, a teacher or an admin) and suspended (idle) sessions stand still until resumed' })

/** Rapid guesses and response-time effort, as a session (so far) and its result (when it ended) show them. */
export const effortFields = (when: string) => ({
  rapidGuesses: Type.Integer({ minimum: 0, description: `responses (pretest ones included) answered faster than their item's rapid-guess threshold, ${when}` }),
  effort: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: `response-time effort: the share of responses that are not rapid guesses (null before any), ${when}` }),
  lowEffort: Type.Boolean({ description: `effort below EXAM_EFFORT_FLAG_BELOW, ${when}` })
})
const resultEffort = effortFields('when it ended (absent from results from before rapid guesses were judged)')

export const Result = Type.Object({
  theta: Type.Number(),
  se: Type.Number(),
  itemsAnswered: Type.Integer(),
  correctCount: Type.Integer(),
  topics: Type.Array(Type.Object({ topic: Type.String(), answered: Type.Integer(), correct: Type.Integer() })),
  types: Type.Optional(Type.Array(Type.Object({ type: Type.String(), answered: Type.Integer(), correct: Type.Integer(), score: Type.Integer(), maxScore: Type.Integer() }), { description: 'per item type: answered, full credit, and score out of the most it could have been' })),
  rapidGuesses: Type.Optional(resultEffort.rapidGuesses),
  effort: Type.Optional(resultEffort.effort),
  lowEffort: Type.Optional(resultEffort.lowEffort)
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
  ...effortFields('so far'),
  result: Type.Union([Result, Type.Null()]),
  pausedAt: Type.Union([DateTime, Type.Null()], { description: 'while paused or suspended: when the clock stopped (a suspended session\'s last activity)' }),
  pauseReason: Type.Union([Type.String(), Type.Null()], { description: 'why the last pause was: student, teacher, admin or idle' }),
  pausedMs: Type.Integer({ description: 'time spent paused or suspended over the pauses resumed so far; the deadline moved by as much' }),
  extendedS: Type.Integer({ description: 'seconds teachers or admins added to the time limit' }),
  voidedAt: Type.Union([DateTime, Type.Null()], { description: 'when a teacher or an admin voided the session (its result counts in no analytics score)' }),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  accommodations: Type.Union([Accommodations, Type.Null()], { description: 'the student\'s accommodation profile in force when the session started (its time limit was multiplied by timeMultiplier then); null: none. Later changes of the profile leave the session as it is.' })
})

const ItemTypeName = Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('numeric'), Type.Literal('text'), Type.Literal('rating')])
const Passage = Type.Object({ id: Uuid, title: Type.Union([Type.String(), Type.Null()]), stimulus: Type.String() })

export const StudentItem = Type.Object({
  id: Uuid,
  type: ItemTypeName,
  stem: Type.String(),
  options: Type.Array(Type.String(), { description: 'single, multiple and rating items; empty for numeric and text' }),
  passage: Type.Union([Passage, Type.Null()], { description: 'the passage the item belongs to, shown with it' }),
  position: Type.Integer()
})

export const SessionStep = Type.Object({
  session: Session,
  item: Type.Union([StudentItem, Type.Null()]),
  result: Type.Union([Result, Type.Null()])
})

const AnswerGiven = Type.Object({ choices: Type.Optional(Type.Array(Type.Integer())), value: Type.Optional(Type.Number()), text: Type.Optional(Type.String()) })

const Response = Type.Object({
  position: Type.Integer(),
  itemId: Uuid,
  optionIndex: Type.Union([Type.Integer(), Type.Null()]),
  answer: Type.Union([AnswerGiven, Type.Null()]),
  score: Type.Integer(),
  maxScore: Type.Integer(),
  correct: Type.Boolean(),
  pretest: Type.Boolean(),
  thetaAfter: Type.Number(),
  seAfter: Type.Number(),
  timeTakenMs: Type.Union([Type.Integer(), Type.Null()]),
  servedAt: DateTime,
  answeredAt: DateTime,
  rapidGuess: Type.Boolean({ description: 'answered (answeredAt − servedAt, the server\'s clock, time paused left out) faster than thresholdMs' }),
  thresholdMs: Type.Union([Type.Integer(), Type.Null()], { description: 'the item\'s rapid-guess threshold when it was shown; null for a response from before thresholds were kept' })
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
  description: 'The item being shown, or the result once the session has ended; no item while the session is paused or suspended.',
  params: IdParams,
  response: { 200: SessionStep, ...errors }
}

export const answerSchema = {
  description: 'Answers the item being shown, in the field of its type: optionIndex (single, rating), choices (multiple: the options chosen, none repeated), value (numeric: a JSON number) or text (text). Sending the same answer again returns the same outcome; another answer to an answered item is 409 EXAM_ANSWER_CONFLICT.',
  params: IdParams,
  body: Type.Object({
    itemId: Uuid,
    optionIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1 })),
    choices: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1 }), { maxItems: MAX_OPTIONS, uniqueItems: true })),
    value: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
    text: Type.Optional(Type.String({ maxLength: MAX_TEXT_ANSWER })),
    timeTakenMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 }))
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      answer: Type.Object({
        itemId: Uuid,
        optionIndex: Type.Optional(Type.Integer()),
        choices: Type.Optional(Type.Array(Type.Integer())),
        value: Type.Optional(Type.Number()),
        text: Type.Optional(Type.String()),
        position: Type.Integer(),
        timeTakenMs: Type.Union([Type.Integer(), Type.Null()])
      }),
      session: Session,
      item: Type.Union([StudentItem, Type.Null()]),
      result: Type.Union([Result, Type.Null()])
    }),
    ...errors
  }
}

export const pauseSchema = {
  description: 'Pauses a session in progress: its clock stops and no answer is taken until it is resumed. The session\'s student, a teacher of a classroom the exam is assigned to and the student belongs to, or an admin of its organization. A session already paused or suspended is returned as it is.',
  params: IdParams,
  response: { 200: SessionStep, ...errors }
}

export const resumeSchema = {
  description: 'Resumes a paused or suspended session within its resume window, with the item it was showing; its deadline moves by the time it stood still. Who may pause may resume, except that a student cannot resume a pause by a teacher or an admin. A session in progress is returned as it is.',
  params: IdParams,
  response: { 200: SessionStep, ...errors }
}
