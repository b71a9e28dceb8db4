// Disengagement: answers faster than their item's threshold (on the server's clock) are flagged as rapid
// guesses, sessions carry their response-time effort live and in their results, thresholds come from items'
// medians in completed sessions once they have enough, and an exam may leave rapid guesses out of θ.
import t from 'tap'
import { contractFor } from '@dreamseed/events'
import { estimateEap } from '@dreamseed/irt'
import type { ExamApp } from '../../../src/app.js'
import { adaptiveBank, buildExam, type ExamContext } from '../../helper.js'
import { assignedExam, eventsOf, keyOf, MINUTE, post, school, testClock, type Headers } from './pausing.js'

type Clock = ReturnType<typeof testClock>
interface Shown { id: string, options: string[] }

/** Waits `ms` on the test's clock, then answers the item shown (rightly unless `wrong`). */
async function answerAfter (ctx: ExamContext, app: ExamApp, clock: Clock, headers: Headers, sessionId: string, item: Shown, ms: number, options: { wrong?: boolean, timeTakenMs?: number } = {}) {
  clock.advance(ms)
  const key = await keyOf(ctx, item.id)
  const res = await app.inject({
    method: 'POST',
    url: `/exam/sessions/${sessionId}/answers`,
    headers,
    payload: { itemId: item.id, optionIndex: options.wrong === true ? (key + 1) % item.options.length : key, ...(options.timeTakenMs === undefined ? {} : { timeTakenMs: options.timeTakenMs }) }
  })
  if (res.statusCode !== 200) throw new Error(`answer refused: ${res.body}`)
  return res.json()
}

/** Takes a fixed exam to its end, answering item i after times[i] milliseconds. */
async function takeWith (ctx: ExamContext, clock: Clock, headers: Headers, examId: string, times: number[]) {
  let step = (await post(ctx.app, `/exam/exams/${examId}/sessions`, headers)).json()
  const sessionId = step.session.id as string
  for (const ms of times) step = await answerAfter(ctx, ctx.app, clock, headers, sessionId, step.item, ms)
  if (step.session.status !== 'completed') throw new Error('the exam did not end')
  return sessionId
}

const live = async (ctx: ExamContext, classroomId: string, headers: Headers) =>
  new Map<string, Record<string, unknown>>((await ctx.app.inject({ method: 'GET', url: `/exam/classrooms/${classroomId}/sessions`, headers })).json().sessions.map((x: { id: string }) => [x.id, x]))

const responsesOf = async (ctx: ExamContext, sessionId: string) =>
  await ctx.sql`select item_id, rapid_guess, threshold_ms, score, theta_after, se_after from exam.responses where session_id = ${sessionId} order by position`

t.test('a session answering fast is flagged, live and in its result; one answering at the threshold is not', async (t) => {
  const clock = testClock()
  // Default settings: no item has 30 responses, so every threshold is the 3000 ms default; effort is flagged below 0.9.
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now })
  const s = await school(ctx, { students: 2 })
  const [fast, steady] = s.students as [typeof s.student, typeof s.student]
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 5) })

  // One clock for both students: each one's answers are timed while the other waits.
  let a = (await post(ctx.app, `/exam/exams/${examId}/sessions`, fast.headers)).json()
  const idA = a.session.id as string
  // 2999 ms: a rapid guess, whatever time the client claims.
  a = await answerAfter(ctx, ctx.app, clock, fast.headers, idA, a.item, 2999, { timeTakenMs: 15_000 })
  // The next item: one second, a ten-minute pause, one more second: two seconds on the clock, a rapid guess.
  clock.advance(1000)
  t.equal((await post(ctx.app, `/exam/sessions/${idA}/pause`, fast.headers)).statusCode, 200)
  clock.advance(10 * MINUTE)
  t.equal((await post(ctx.app, `/exam/sessions/${idA}/resume`, fast.headers)).statusCode, 200)
  a = await answerAfter(ctx, ctx.app, clock, fast.headers, idA, a.item, 1000)
  let b = (await post(ctx.app, `/exam/exams/${examId}/sessions`, steady.headers)).json()
  const idB = b.session.id as string
  // 3000 ms is not faster than the threshold.
  b = await answerAfter(ctx, ctx.app, clock, steady.headers, idB, b.item, 3000)
  b = await answerAfter(ctx, ctx.app, clock, steady.headers, idB, b.item, 20_000)

  t.match(a.session, { responseCount: 2, rapidGuesses: 2, effort: 0, lowEffort: true }, 'the student\'s own view says so too')
  const during = await live(ctx, s.classroomId, s.teacher.headers)
  t.match(during.get(idA), { position: 2, rapidGuesses: 2, effort: 0, lowEffort: true }, 'the proctor sees the rushing student flagged')
  t.match(during.get(idB), { position: 2, rapidGuesses: 0, effort: 1, lowEffort: false })

  for (const ms of [20_000, 20_000, 20_000]) {
    a = await answerAfter(ctx, ctx.app, clock, fast.headers, idA, a.item, ms)
    b = await answerAfter(ctx, ctx.app, clock, steady.headers, idB, b.item, ms)
  }
  t.equal(a.session.status, 'completed')
  t.match(a.result, { rapidGuesses: 2, effort: 0.6, lowEffort: true }, 'two of five: effort 0.6, below 0.9')
  t.match(b.result, { rapidGuesses: 0, effort: 1, lowEffort: false })
  t.same((await responsesOf(ctx, idA)).map((r) => [r.rapid_guess, r.threshold_ms]), [[true, 3000], [true, 3000], [false, 3000], [false, 3000], [false, 3000]])
  t.same((await responsesOf(ctx, idB)).map((r) => r.rapid_guess), [false, false, false, false, false])

  const read = (await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${idA}`, headers: s.teacher.headers })).json()
  t.match(read, { rapidGuesses: 2, effort: 0.6, lowEffort: true, result: { effort: 0.6, lowEffort: true } })
  t.same(read.responses.map((r: { rapidGuess: boolean, thresholdMs: number }) => [r.rapidGuess, r.thresholdMs]), [[true, 3000], [true, 3000], [false, 3000], [false, 3000], [false, 3000]], 'the teacher sees each response\'s flag')
  const listed = (await ctx.app.inject({ method: 'GET', url: `/exam/sessions?examId=${examId}`, headers: s.teacher.headers })).json().sessions
  t.match(listed.find((x: { id: string }) => x.id === idA), { rapidGuesses: 2, effort: 0.6, lowEffort: true })

  const recorded = await eventsOf(ctx, idA, 'exam.response.recorded')
  t.same(recorded.map((e) => e.envelope.data.rapidGuess), [true, true, false, false, false], 'analytics is told which answers were rapid guesses')
  const [completed] = await eventsOf(ctx, idA, 'exam.session.completed')
  t.match(completed!.envelope.data, { rapidGuesses: 2, effort: 0.6, lowEffort: true })
  t.same(contractFor('exam.session.completed', 1)!.check(completed!.envelope), [], 'the completed event keeps its contract')
  t.same(contractFor('exam.response.recorded', 1)!.check(recorded[0]!.envelope), [], 'the recorded event keeps its contract')
})

t.test('an item\'s threshold comes from its median in completed sessions once it has enough responses; two refreshes at once are safe', async (t) => {
  const clock = testClock()
  const env = { EXAM_EXPIRY_INTERVAL_S: '3600', EXAM_RAPID_GUESS_MIN_RESPONSES: '4', EXAM_RAPID_GUESS_DEFAULT_MS: '3000', EXAM_RAPID_GUESS_FLOOR_MS: '1000', EXAM_RAPID_GUESS_CAP_MS: '10000', EXAM_RAPID_GUESS_SHARE: '0.1' }
  const ctx = await buildExam(t, env, { now: clock.now })
  const s = await school(ctx, { students: 9 })
  const [x, y, z, w] = s.itemIds as [string, string, string, string]
  const three = await assignedExam(ctx, s, { kind: 'fixed', itemIds: [x, y, z] })
  const alone = await assignedExam(ctx, s, { kind: 'fixed', itemIds: [w] })
  const students = s.students

  // Four completed sessions, times in seconds per item: x 20, 30, 40, 50; y 5, 5, 6, 8; z 120, 150, 200, 300.
  const times = [[20, 5, 120], [30, 5, 150], [40, 6, 200], [50, 8, 300]]
  for (const [i, row] of times.entries()) await takeWith(ctx, clock, students[i]!.headers, three, row.map((sec) => sec * 1000))
  // w: three completed sessions only.
  for (const i of [0, 1, 2]) await takeWith(ctx, clock, students[i]!.headers, alone, [60_000])
  // A session still in progress answered x in one second: not counted (x's median would be 30 s with it).
  const open = (await post(ctx.app, `/exam/exams/${three}/sessions`, students[4]!.headers)).json()
  await answerAfter(ctx, ctx.app, clock, students[4]!.headers, open.session.id, open.item, 1000)

  const replica = await ctx.replica({ now: clock.now })
  const runs = await Promise.all([ctx.app.itemTiming()!.runOnce(), replica.itemTiming()!.runOnce()])
  t.ok(runs.includes(4), `one refresh wrote the four items (${runs.join(', ')})`)
  t.ok(runs.every((n) => n === 0 || n === 4), 'the other wrote the same, or stood aside while the first held the lock')
  t.equal(await replica.itemTiming()!.runOnce(), 0, 'within the interval (EXAM_ITEM_TIMING_INTERVAL_S, 3600 s) of the last pass, a replica\'s pass writes nothing')
  clock.advance(3600 * 1000)
  t.equal(await ctx.app.itemTiming()!.runOnce(), 4, 'and it runs again later')
  clock.advance(3600 * 1000) // due again: only the lock can make the next pass stand aside
  await ctx.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('exam.item_timing'))`
    t.equal(await replica.itemTiming()!.runOnce(), 0, 'while another holds the turn, a refresh stands aside and writes nothing')
  })
  const timing = new Map((await ctx.sql`select item_id, responses, median_ms, threshold_ms from exam.item_timing`).map((r) => [r.item_id, [r.responses, r.median_ms, r.threshold_ms]]))
  t.equal(timing.size, 4)
  // By hand: x median (30 + 40) / 2 = 35 s, 10% = 3500 ms; y median 5.5 s, 550 ms, raised to the 1000 ms floor;
  // z median 175 s, 17 500 ms, capped at 10 000 ms; w three responses, fewer than four: no threshold of its own.
  t.same(timing.get(x), [4, 35_000, 3500])
  t.same(timing.get(y), [4, 5500, 1000])
  t.same(timing.get(z), [4, 175_000, 10_000])
  t.same(timing.get(w), [3, 60_000, null])

  // New sessions are shown the items with these thresholds.
  const next = students[5]!
  let step = (await post(ctx.app, `/exam/exams/${three}/sessions`, next.headers)).json()
  const id = step.session.id as string
  step = await answerAfter(ctx, ctx.app, clock, next.headers, id, step.item, 3499)
  step = await answerAfter(ctx, ctx.app, clock, next.headers, id, step.item, 1000)
  // The rest on another replica: the threshold came with the session from the database, not this process.
  await answerAfter(ctx, replica, clock, next.headers, id, step.item, 9999)
  t.same((await responsesOf(ctx, id)).map((r) => [r.rapid_guess, r.threshold_ms]), [[true, 3500], [false, 1000], [true, 10_000]])
  const single = (await post(ctx.app, `/exam/exams/${alone}/sessions`, next.headers)).json()
  await answerAfter(ctx, ctx.app, clock, next.headers, single.session.id, single.item, 2999)
  t.same((await responsesOf(ctx, single.session.id)).map((r) => [r.rapid_guess, r.threshold_ms]), [[true, 3000]], 'too few responses: the default')

  // The session in progress keeps the threshold it was shown its item with; a refresh changes later items only.
  const inProgress = (await ctx.sql`select current_item_id, current_threshold_ms from exam.sessions where id = ${open.session.id}`)[0]!
  t.same([inProgress.current_item_id, inProgress.current_threshold_ms], [y, 3000], 'y was shown before the refresh, with the default')
})

t.test('an exam that excludes rapid guesses leaves them out of θ; one that counts them keeps θ as before', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now, newSeed: () => 20260302 })
  const s = await school(ctx, { students: 2, items: adaptiveBank(30) })
  const excluding = await assignedExam(ctx, s, { kind: 'adaptive', subject: 'math', rapidGuesses: 'exclude', stopping: { minItems: 8, maxItems: 8 } })
  const counting = await assignedExam(ctx, s, { kind: 'adaptive', subject: 'math', stopping: { minItems: 8, maxItems: 8 } })
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/exams/${excluding}`, headers: s.teacher.headers })).json().settings.rapidGuesses, 'exclude')
  const replica = await ctx.replica({ now: clock.now })

  // Fast (and wrong) at positions 1 and 4; the second half on another replica, which holds nothing of the session.
  const walk = async (examId: string, headers: Headers) => {
    let step = (await post(ctx.app, `/exam/exams/${examId}/sessions`, headers)).json()
    const id = step.session.id as string
    for (let i = 0; step.item !== null; i++) {
      const fast = i === 1 || i === 4
      step = await answerAfter(ctx, i < 3 ? ctx.app : replica, clock, headers, id, step.item, fast ? 500 : 15_000, { wrong: fast || i % 3 === 0 })
    }
    return { id, result: step.result }
  }
  const eapOf = async (rows: Array<Record<string, unknown>>) => {
    const params = await ctx.sql`select id, a, b, c, d from exam.items where id = any(${rows.map((r) => r.item_id as string)}::uuid[])`
    const byId = new Map(params.map((p) => [p.id, { a: p.a, b: p.b, c: p.c, d: p.d }]))
    return estimateEap(rows.map((r) => byId.get(r.item_id)!), rows.map((r) => r.score as number))
  }

  const ex = await walk(excluding, s.students[0]!.headers)
  const rowsEx = await responsesOf(ctx, ex.id)
  t.same(rowsEx.map((r) => r.rapid_guess), [false, true, false, false, true, false, false, false])
  const kept = await eapOf(rowsEx.filter((r) => r.rapid_guess === false))
  const all = await eapOf(rowsEx)
  t.ok(Math.abs(ex.result.theta - kept.theta) < 1e-9, `θ ${ex.result.theta as number} is the EAP of the six kept answers, ${kept.theta}`)
  t.ok(Math.abs(ex.result.se - kept.se) < 1e-9, 'and so is its SE')
  t.ok(Math.abs(all.theta - kept.theta) > 0.01, `the two rapid guesses would have moved it (${all.theta})`)
  t.match(ex.result, { itemsAnswered: 8, rapidGuesses: 2, effort: 0.75, lowEffort: true }, 'left out of θ, still answered, scored and flagged')
  for (const i of [1, 4]) t.same([rowsEx[i]!.theta_after, rowsEx[i]!.se_after], [rowsEx[i - 1]!.theta_after, rowsEx[i - 1]!.se_after], `the rapid guess at ${i} left the estimate as it was`)

  const co = await walk(counting, s.students[1]!.headers)
  const rowsCo = await responsesOf(ctx, co.id)
  t.same(rowsCo.map((r) => r.rapid_guess), [false, true, false, false, true, false, false, false])
  const every = await eapOf(rowsCo)
  t.ok(Math.abs(co.result.theta - every.theta) < 1e-9, `counted: θ ${co.result.theta as number} is the EAP of all eight answers, ${every.theta}`)
  t.match(co.result, { rapidGuesses: 2, effort: 0.75, lowEffort: true })
})
