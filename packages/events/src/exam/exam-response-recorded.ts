// Published by exam for every recorded answer, for item analysis and calibration. It says whether the
// answer was right, never which option was chosen or which is the key (the two together would give it away).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, Uuid, sessionFields } from './session-fields.js'


export const examResponseRecordedV1 = defineEvent({
  type: 'exam.response.recorded',
  version: 1,
  producer: 'exam',
  description: 'A student answered an item in a session. pretest items are recorded for calibration and not scored; thetaAfter/seAfter are the ability estimate after this answer.',
  data: Type.Object({
    ...sessionFields,
    itemId: Uuid,
    position: Type.Integer({ minimum: 0 }),
    correct: Type.Boolean({ description: 'full credit (for a partial-credit or rating item: the highest category)' }),
    score: Type.Optional(Type.Integer({ minimum: 0, description: 'the score category 0..maxScore; absent means 1 if correct else 0' })),
    maxScore: Type.Optional(Type.Integer({ minimum: 1, description: 'the highest category of the item; absent means 1' })),
    pretest: Type.Boolean(),
    thetaAfter: Type.Number(),
    seAfter: Type.Number(),
    timeTakenMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    servedAt: DateTime,
    answeredAt: DateTime,
    /**
     * Added within v1 (optional): answered faster than the item's rapid-guess threshold (answeredAt − servedAt
     * on exam's clock, time paused left out); absent from events from before exam judged rapid guesses.
     */
    rapidGuess: Type.Optional(Type.Boolean())
  }, { additionalProperties: false })
})

export type ExamResponseRecordedV1 = DataOf<typeof examResponseRecordedV1>
