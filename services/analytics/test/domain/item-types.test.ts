import t from 'tap'
import { examResponseRecordedV1, examSessionCompletedV1, examSessionStartedV1, newEnvelope, type Envelope, type ExamSessionCompletedV1 } from '@dreamseed/events'
import { buildAnalytics, ev, id, school, sessionEvents, T0 } from '../helper.js'

const iso = (ms: number): string => new Date(ms).toISOString()

interface ScoredAnswer { itemId: string, score: number, maxScore: number }

/** A session as exam publishes it since item types: each response with its score, the completion with `types` (written out by the test). */
function scoredSession (spec: { organizationId: string, studentId: string, examId: string, theta: number, answers: ScoredAnswer[], types: NonNullable<ExamSessionCompletedV1['types']>, at?: number }): Envelope[] {
  const base = { sessionId: id(), examId: spec.examId, organizationId: spec.organizationId, studentId: spec.studentId }
  const at = spec.at ?? T0
  return [
    newEnvelope(examSessionStartedV1, { ...base, examKind: 'fixed', startTheta: 0, startedAt: iso(at), deadlineAt: null }),
    ...spec.answers.map((a, position) => newEnvelope(examResponseRecordedV1, {
      ...base, itemId: a.itemId, position, correct: a.score === a.maxScore, score: a.score, maxScore: a.maxScore, pretest: false, thetaAfter: spec.theta, seAfter: 0.4, timeTakenMs: 1000,
      servedAt: iso(at + position * 60_000), answeredAt: iso(at + position * 60_000 + 1000)
    })),
    newEnvelope(examSessionCompletedV1, {
      ...base, subject: 'math', reason: 'all-items', theta: spec.theta, se: 0.4, itemsAnswered: spec.answers.length, correctCount: spec.answers.filter((a) => a.score === a.maxScore).length,
      topics: [], types: spec.types, startedAt: iso(at), completedAt: iso(at + spec.answers.length * 60_000 + 5000)
    })
  ]
}

type TypeResult = NonNullable<ExamSessionCompletedV1['types']>[number]
const typeRow = (type: TypeResult['type'], answered: number, correct: number, score: number, maxScore: number): TypeResult => ({ type, answered, correct, score, maxScore })

t.test('rating and partial-credit items: the read models keep types, categories and scores, and the routes report category frequencies, mean scores and per-type breakdowns', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 2)
  const [first, second] = s.students as [typeof s.student, typeof s.student]
  const [rating, multiple, single] = [id(), id(), id()]
  const [exam, oldExam] = [id(), id()]
  const grm = { model: 'GRM' as const, a: 1.2, b: [-1.5, -0.5, 0.5, 1.5] }
  await ctx.publish(
    ev.itemChanged(rating, s.organizationId, { a: 1.2, b: 0, kind: { type: 'rating', categories: 5, irt: grm } }),
    ev.itemChanged(multiple, s.organizationId, { kind: { type: 'multiple', categories: 3 } }),
    // An item as exam described it before item types: a single-choice right/wrong item.
    ev.itemChanged(single, s.organizationId)
  )
  await ctx.publish(
    ...scoredSession({
      organizationId: s.organizationId, studentId: first.userId, examId: exam, theta: 1,
      answers: [{ itemId: rating, score: 4, maxScore: 4 }, { itemId: multiple, score: 1, maxScore: 2 }, { itemId: single, score: 1, maxScore: 1 }],
      types: [typeRow('single', 1, 1, 1, 1), typeRow('multiple', 1, 0, 1, 2), typeRow('rating', 1, 1, 4, 4)]
    }),
    ...scoredSession({
      organizationId: s.organizationId, studentId: second.userId, examId: exam, theta: 0,
      answers: [{ itemId: rating, score: 2, maxScore: 4 }, { itemId: multiple, score: 2, maxScore: 2 }, { itemId: single, score: 0, maxScore: 1 }],
      types: [typeRow('single', 1, 0, 0, 1), typeRow('multiple', 1, 1, 2, 2), typeRow('rating', 1, 0, 2, 4)]
    }),
    ...scoredSession({
      organizationId: s.organizationId, studentId: second.userId, examId: exam, theta: -1, at: T0 + 3_600_000,
      answers: [{ itemId: rating, score: 0, maxScore: 4 }, { itemId: multiple, score: 0, maxScore: 2 }],
      types: [typeRow('multiple', 1, 0, 0, 2), typeRow('rating', 1, 0, 0, 4)]
    }),
    // Events from before item types: no score, no maxScore, no types.
    ...sessionEvents({ organizationId: s.organizationId, studentId: first.userId, examId: oldExam, theta: 0.5, answers: [[single, true]], at: T0 + 7_200_000 })
  )
  await ctx.settled()

  // Read models.
  const items = await ctx.sql`select id, type, categories, irt from analytics.items where id in ${ctx.sql([rating, multiple, single])}`
  const item = (itemId: string) => items.find((i) => i.id === itemId)
  t.same([item(rating)!.type, item(rating)!.categories, item(rating)!.irt], ['rating', 5, grm], 'a rating item keeps its type, categories and GRM parameters')
  t.same([item(multiple)!.type, item(multiple)!.categories, item(multiple)!.irt], ['multiple', 3, null])
  t.same([item(single)!.type, item(single)!.categories, item(single)!.irt], [null, null, null], 'an event without them leaves them null (single, two categories)')
  const scores = await ctx.sql`select r.score, r.max_score, r.correct from analytics.responses r where r.item_id = ${single} order by r.answered_on, r.answered_at`
  t.same(scores.map((r) => [r.score, r.max_score, r.correct]), [[1, 1, true], [0, 1, false], [1, 1, true]], 'the old response without a score is scored 1 of 1 for correct')
  const ratingScores = await ctx.sql`select score, max_score from analytics.responses where item_id = ${rating} order by score`
  t.same(ratingScores.map((r) => [r.score, r.max_score]), [[0, 4], [2, 4], [4, 4]])
  const sessions = await ctx.sql`select exam_id, types from analytics.sessions where student_id = ${first.userId} order by started_at`
  t.same(sessions.map((r) => r.types), [[typeRow('single', 1, 1, 1, 1), typeRow('multiple', 1, 0, 1, 2), typeRow('rating', 1, 1, 4, 4)], null], 'the per-type results as completed, none for the old session')

  // Item statistics.
  const stats = async (itemId: string) => {
    const res = await ctx.get(`/analytics/items/${itemId}`, s.teacher.headers)
    t.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const r = await stats(rating)
  t.same([r.type, r.categories, r.meanScore, r.meanScoreRatio], ['rating', 5, 2, 0.5], 'scores 4, 2 and 0 of 4: mean 2, half the most')
  t.same(r.categoryFrequencies, [{ category: 0, count: 1 }, { category: 1, count: 0 }, { category: 2, count: 1 }, { category: 3, count: 0 }, { category: 4, count: 1 }], 'every category 0..4, unused ones at 0')
  t.equal(r.proportionCorrect, 0.3333, 'full credit once in three')
  t.same([r.drift.n, r.drift.expected, r.drift.standardError, r.drift.flagged], [3, null, null, false], 'no 4PL expectation for a polytomous item')
  const m = await stats(multiple)
  t.same([m.type, m.categories, m.meanScore, m.meanScoreRatio], ['multiple', 3, 1, 0.5], 'partial credit 1, 2 and 0 of 2')
  t.same(m.categoryFrequencies, [{ category: 0, count: 1 }, { category: 1, count: 1 }, { category: 2, count: 1 }])
  const d = await stats(single)
  t.same([d.type, d.categories, d.meanScore, d.meanScoreRatio, d.proportionCorrect], ['single', 2, 0.6667, 0.6667, 0.6667], 'a right/wrong item: the mean score is the proportion correct')
  t.same(d.categoryFrequencies, [{ category: 0, count: 1 }, { category: 1, count: 2 }])
  t.equal(d.administrations, 3)
  t.not(d.drift.expected, null, 'a right/wrong item keeps its drift expectation')
  t.equal(d.pointBiserial, 0.866, 'correct at θ 1 and 0.5, wrong at θ 0: 0.5 / sqrt(2/3 · 1/2)')
  const listed = (await ctx.get('/analytics/items?limit=10', s.teacher.headers)).json().items
  t.same(listed.find((i: { id: string }) => i.id === rating).categoryFrequencies, r.categoryFrequencies, 'the list reports the same')

  // The exam summary: per type over its completed sessions.
  const summary = (await ctx.get(`/analytics/exams/${exam}`, s.teacher.headers)).json()
  t.same(summary.types, [
    { type: 'single', sessions: 2, answered: 2, correct: 1, score: 1, maxScore: 2, proportionCorrect: 0.5, scoreRatio: 0.5 },
    { type: 'multiple', sessions: 3, answered: 3, correct: 1, score: 3, maxScore: 6, proportionCorrect: 0.3333, scoreRatio: 0.5 },
    { type: 'rating', sessions: 3, answered: 3, correct: 1, score: 6, maxScore: 12, proportionCorrect: 0.3333, scoreRatio: 0.5 }
  ])
  const oldSummary = (await ctx.get(`/analytics/exams/${oldExam}`, s.teacher.headers)).json()
  t.same(oldSummary.types, [{ type: 'single', sessions: 1, answered: 1, correct: 1, score: 1, maxScore: 1, proportionCorrect: 1, scoreRatio: 1 }], 'a session from before item types counts as single')

  // Student progress and the classroom's student list.
  const progress = (await ctx.get(`/analytics/students/${first.userId}`, first.headers)).json()
  t.same(progress.types, [
    { type: 'single', sessions: 2, answered: 2, correct: 2, score: 2, maxScore: 2, proportionCorrect: 1, scoreRatio: 1 },
    { type: 'multiple', sessions: 1, answered: 1, correct: 0, score: 1, maxScore: 2, proportionCorrect: 0, scoreRatio: 0.5 },
    { type: 'rating', sessions: 1, answered: 1, correct: 1, score: 4, maxScore: 4, proportionCorrect: 1, scoreRatio: 1 }
  ], 'the new session\'s types and the old one as single')
  const students = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json().students
  t.same(students.find((x: { id: string }) => x.id === second.userId).types, [
    { type: 'single', sessions: 1, answered: 1, correct: 0, score: 0, maxScore: 1, proportionCorrect: 0, scoreRatio: 0 },
    { type: 'multiple', sessions: 2, answered: 2, correct: 1, score: 2, maxScore: 4, proportionCorrect: 0.5, scoreRatio: 0.5 },
    { type: 'rating', sessions: 2, answered: 2, correct: 0, score: 2, maxScore: 8, proportionCorrect: 0, scoreRatio: 0.25 }
  ])
})

t.test('a student who only took sessions before item types, and one with none, get what they got before plus a single-only or empty breakdown', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 2)
  const item = id()
  await ctx.publish(ev.itemChanged(item, s.organizationId))
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 0.2, answers: [[item, true], [id(), false], [id(), true, true]] }))
  await ctx.settled()
  const progress = (await ctx.get(`/analytics/students/${s.student.userId}`, s.student.headers)).json()
  t.same([progress.itemsAnswered, progress.correct, progress.accuracy], [2, 1, 0.5], 'today\'s totals, pretest answers excluded')
  t.same(progress.types, [{ type: 'single', sessions: 1, answered: 2, correct: 1, score: 1, maxScore: 2, proportionCorrect: 0.5, scoreRatio: 0.5 }])
  const other = (await ctx.get(`/analytics/students/${s.students[1]!.userId}`, s.teacher.headers)).json()
  t.same(other.types, [], 'no completed session, no breakdown')
})
