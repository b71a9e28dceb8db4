import t from 'tap'
import { sessionTimeLimitSeconds } from '../../src/domain/time-limit.js'

const profile = (timeMultiplier: number) => ({ timeMultiplier, extraBreaks: 0, flags: [] })

t.test('a session\'s time limit is the exam\'s times the multiplier, in whole seconds rounded up', async (t) => {
  t.equal(sessionTimeLimitSeconds(600, null), 600, 'no profile: the exam\'s limit')
  t.equal(sessionTimeLimitSeconds(undefined, profile(2)), undefined, 'no limit stays no limit')
  t.equal(sessionTimeLimitSeconds(600, profile(1)), 600)
  t.equal(sessionTimeLimitSeconds(600, profile(1.5)), 900)
  t.equal(sessionTimeLimitSeconds(45, profile(1.5)), 68, '67.5 s: the half second goes to the student')
  t.equal(sessionTimeLimitSeconds(100, profile(1.1)), 110, 'not 111: 100 × 1.1 is 110.00000000000001 in binary')
  t.equal(sessionTimeLimitSeconds(86_400, profile(4)), 345_600, 'the longest limit at the largest multiplier')
})
