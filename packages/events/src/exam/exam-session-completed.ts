// Published by exam when a session ends: its stopping rule fired, its items ran out, its time was up, or it was
// left paused or suspended past its resume window, or a teacher or an admin ended it.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, sessionFields } from './session-fields.js'
import { AccommodationsSchema } from '../user/accommodations.js'


export const ExamStopReason = Type.Union([
  Type.Literal('max-items'), Type.Literal('se-target'), Type.Literal('time-limit'), Type.Literal('bank-exhausted'), Type.Literal('all-items')
])

export const examSessionCompletedV1 = defineEvent({
  type: 'exam.session.completed',
  version: 1,
  producer: 'exam',
  description: 'A session ended with its result: the final ability estimate and its SE, scored items answered and correct, and a breakdown by topic.',
  data: Type.Object({
    ...sessionFields,
    /** Added within v1 (optional): the adaptive exam's subject, null for a fixed form. */
    subject: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    reason: ExamStopReason,
    /**
     * Added within v1 (optional): set when a paused or suspended session was ended because its resume window
     * passed, or a teacher or an admin ended it as a proctor (reason is then time-limit); absent for every
     * other ending.
     */
    endedBy: Type.Optional(Type.Union([Type.Literal('resume-window'), Type.Literal('proctor')])),
    theta: Type.Number(),
    se: Type.Number(),
    itemsAnswered: Type.Integer({ minimum: 0 }),
    correctCount: Type.Integer({ minimum: 0 }),
    topics: Type.Array(Type.Object({ topic: Type.String(), answered: Type.Integer({ minimum: 0 }), correct: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
    /** Added within v1 (optional): per item type, items answered, full-credit answers, and score out of the most it could have been. */
    types: Type.Optional(Type.Array(Type.Object({
      type: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('numeric'), Type.Literal('text'), Type.Literal('rating')]),
      answered: Type.Integer({ minimum: 0 }),
      correct: Type.Integer({ minimum: 0 }),
      score: Type.Integer({ minimum: 0 }),
      maxScore: Type.Integer({ minimum: 0 })
    }, { additionalProperties: false }))),
    /**
     * Added within v1 (optional): the student's accommodation profile in force when the session started, copied
     * onto the session (null: none); absent from events of sessions started before profiles existed.
     */
    accommodations: Type.Optional(Type.Union([AccommodationsSchema, Type.Null()])),
    /**
     * Added within v1 (optional; absent from events from before exam judged rapid guesses): responses (pretest
     * ones included) flagged as rapid guesses, the response-time effort (the share that are not; null without
     * responses) and whether it was below exam's EXAM_EFFORT_FLAG_BELOW.
     */
    rapidGuesses: Type.Optional(Type.Integer({ minimum: 0 })),
    effort: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
    lowEffort: Type.Optional(Type.Boolean()),
    startedAt: DateTime,
    completedAt: DateTime
  }, { additionalProperties: false })
})

export type ExamSessionCompletedV1 = DataOf<typeof examSessionCompletedV1>
