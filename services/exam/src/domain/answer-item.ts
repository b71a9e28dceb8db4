// A student answers the item being shown: the answer is scored, the ability estimated again and the next item
// chosen (or the session ended), all written in one conditional statement, which also reads the next item's
// text. The session and the bank are held in memory between answers, so an answer whose memory is fresh
// costs that one statement. The write does not apply to a session or a bank that moved on (another replica, a
// retry, an item change), and nothing is refused on memory alone: either way the answer is worked out again
// from what the database holds.
import type { AppError, AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { AnswerConflictError, AnswerShapeError, NotCurrentItemError, OptionOutOfRangeError, SessionCompletedError, SessionNotFoundError, SessionPausedError, SessionTimeUpError } from '../errors.js'
import type { Pool, RecordedResponse, RequestContext, SessionState } from './model.js'
import { poolOf } from './item-pool.js'
import { estimate, nextStep, resultOf, type Likelihood } from './cat-step.js'
import type { AnswerWrite } from '../repositories/sessions-repository.js'
import { responseRecorded, sessionCompleted } from './session-events.js'
import { expireIfDue, readOwnSession, type Held } from './session-reads.js'
import { answerView, itemForStudent, sessionView, stepOf, type AnswerOutcome } from './session-views.js'
import { answerField, scoreAnswer, scoreCategories, type GivenAnswer } from './scoring.js'
import { isRapidGuess, type EffortRules } from './effort.js'

/** An answer in the field of its item's type: one of optionIndex, choices, value and text. */
export interface AnswerInput {
  itemId: string
  optionIndex?: number
  choices?: number[]
  value?: number
  text?: string
  timeTakenMs?: number
}

const ANSWER_FIELDS = ['optionIndex', 'choices', 'value', 'text'] as const

/** The one answer field the input gives, normalized (choices in ascending order); undefined when it gives none or several. */
function givenAnswer (input: AnswerInput): GivenAnswer | undefined {
  const present = ANSWER_FIELDS.filter((f) => input[f] !== undefined)
  if (present.length !== 1) return undefined
  if (input.choices !== undefined) return { choices: [...input.choices].sort((x, y) => x - y) }
  if (input.optionIndex !== undefined) return { optionIndex: input.optionIndex }
  if (input.value !== undefined) return { value: input.value }
  return { text: input.text! }
}

/** Whether a retry gives the very answer recorded (choices in any order). */
function sameAnswer (r: RecordedResponse, given: GivenAnswer | undefined): boolean {
  if (given === undefined) return false
  if (r.optionIndex !== null) return 'optionIndex' in given && given.optionIndex === r.optionIndex
  const a = r.answer
  if (a === null) return false
  if ('choices' in a) return 'choices' in given && given.choices.length === a.choices.length && given.choices.every((c, i) => c === a.choices[i])
  if ('value' in a) return 'value' in given && given.value === a.value
  return 'text' in given && given.text === a.text
}

/**
 * Writes tried per answer: the first may meet a stale memory, the second a change landing between the read
 * and the write; more is contention the client settles by fetching the current item.
 */
const MAX_WRITES = 3

type Verdict =
  | { kind: 'replay', response: RecordedResponse }
  | { kind: 'refuse', error: AppError }
  | { kind: 'time-up' }
  | { kind: 'record', write: AnswerWrite, after: SessionState, likelihood: Likelihood | undefined }

/** What an answer already recorded was answered with, rebuilt exactly: the item that followed it (its text read again), or its result. */
async function replay (deps: ExamDeps, held: Held, r: RecordedResponse): Promise<AnswerOutcome> {
  const { state } = held
  const last = r.position === state.responses.length - 1
  const endedHere = last && state.status === 'completed' && state.stopReason !== 'time-limit'
  const nextId = last ? (endedHere ? null : state.currentItemId) : state.responses[r.position + 1]!.itemId
  const text = nextId === null ? null : nextId === held.shown?.id ? held.shown : await deps.repos.sessions.itemText(nextId)
  return {
    answer: answerView(r),
    session: sessionView(state),
    item: itemForStudent(text, r.position + 1),
    result: endedHere ? state.result : null
  }
}

/** A pretest answer leaves the estimate as it was: the sums kept still hold, now up to one more response. */
function pretestPassing (held: Held, responses: number): Likelihood | undefined {
  const known = held.likelihood
  return known !== undefined && known.bankVersion === held.bank.version && known.responses === responses - 1 ? { ...known, responses } : undefined
}

/** The answer checked against a session and its bank, and what follows it. No I/O. */
function judge (held: Held, pool: Pool, input: AnswerInput, now: Date, rules: EffortRules, context: RequestContext): Verdict {
  const { state, bank } = held
  const given = givenAnswer(input)
  const earlier = state.responses.find((r) => r.itemId === input.itemId)
  if (earlier !== undefined) {
    if (!sameAnswer(earlier, given)) return { kind: 'refuse', error: new AnswerConflictError() }
    return { kind: 'replay', response: earlier }
  }
  if (state.status === 'completed') return { kind: 'refuse', error: new SessionCompletedError() }
  // Its clock stands still: nothing is answered until it is resumed (pause-session.ts).
  if (state.status !== 'in_progress') return { kind: 'refuse', error: new SessionPausedError() }
  if (state.deadlineAt !== null && now.getTime() >= state.deadlineAt.getTime()) return { kind: 'time-up' }
  if (input.itemId !== state.currentItemId) return { kind: 'refuse', error: new NotCurrentItemError() }
  const item = bank.items.get(input.itemId)
  if (item === undefined) return { kind: 'refuse', error: new NotCurrentItemError() }
  const score = given === undefined ? 'wrong-kind' : scoreAnswer(item, given)
  if (given === undefined || score === 'wrong-kind') return { kind: 'refuse', error: new AnswerShapeError(answerField(item.type)) }
  if (score === 'option-out-of-range') return { kind: 'refuse', error: new OptionOutOfRangeError() }
  const maxScore = scoreCategories(item) - 1

  const pretest = state.exam.kind === 'adaptive' && !pool.index.has(item.id) && item.status === 'pretest'
  const servedAt = state.currentServedAt ?? state.startedAt
  // The threshold the item was shown with (a session from before thresholds were kept: the default).
  const thresholdMs = state.currentThresholdMs ?? rules.defaultThresholdMs
  const response: RecordedResponse = {
    position: state.responseCount,
    itemId: item.id,
    optionIndex: 'optionIndex' in given ? given.optionIndex : null,
    answer: 'optionIndex' in given ? null : given,
    score,
    maxScore,
    correct: score === maxScore,
    pretest,
    thetaAfter: state.theta,
    seAfter: state.se,
    timeTakenMs: input.timeTakenMs ?? null,
    servedAt,
    answeredAt: now,
    rapidGuess: isRapidGuess(servedAt, now, thresholdMs),
    thresholdMs
  }
  const responses = [...state.responses, response]
  const { likelihood, ...ability } = pretest ? { theta: state.theta, se: state.se, likelihood: pretestPassing(held, responses.length) } : estimate(state, bank, responses, held.likelihood)
  response.thetaAfter = ability.theta
  response.seAfter = ability.se
  const step = nextStep(state, pool, responses, ability, now)
  const scored = responses.filter((r) => !r.pretest)
  const result = step.done ? resultOf(bank, responses, ability, rules.flagBelow) : null
  const after: SessionState = {
    ...state,
    ...ability,
    status: step.done ? 'completed' : 'in_progress',
    responseCount: responses.length,
    itemsAnswered: scored.length,
    correctCount: scored.filter((r) => r.correct).length,
    currentItemId: step.done ? null : step.itemId,
    currentServedAt: step.done ? null : now,
    // Read with the next item by the statement that records this answer (sessions-repository.ts).
    currentThresholdMs: null,
    rapidCount: state.rapidCount + (response.rapidGuess ? 1 : 0),
    completedAt: step.done ? now : null,
    stopReason: step.done ? step.reason : null,
    result,
    lastActivityAt: now,
    responses
  }
  const meta = { now, ...context }
  const events = [responseRecorded(state, response, meta)]
  if (step.done) events.push(sessionCompleted(state, step.reason, result!, meta))
  return { kind: 'record', write: { before: state, bankVersion: bank.version, response, after, events, now, defaultThresholdMs: rules.defaultThresholdMs }, after, likelihood }
}

export async function answer (deps: ExamDeps, user: AuthenticatedUser, id: string, input: AnswerInput, context: RequestContext): Promise<AnswerOutcome> {
  const cached = deps.sessions.get(id)
  if (cached !== undefined && cached.state.studentId !== user.id) throw new SessionNotFoundError()
  let held: Held = cached === undefined
    ? await readOwnSession(deps, user, id)
    : { state: cached.state, bank: await deps.bank.get(cached.state.organizationId), fresh: false, shown: cached.shown, ...(cached.likelihood === undefined ? {} : { likelihood: cached.likelihood }) }
  for (let writes = 0; ;) {
    const verdict = judge(held, poolOf(held.bank, held.state.exam), input, deps.now(), deps.effort, context)
    // An answer already recorded comes back as it was: what it was answered with never changes.
    if (verdict.kind === 'replay') return await replay(deps, held, verdict.response)
    if (verdict.kind !== 'record' && !held.fresh) {
      // Memory would refuse: another replica may have moved the session or the bank on. Ask the database once.
      held = await readOwnSession(deps, user, id)
      continue
    }
    if (verdict.kind === 'refuse') throw verdict.error
    if (verdict.kind === 'time-up') {
      await expireIfDue(deps, held, context)
      throw new SessionTimeUpError()
    }
    const written = await deps.repos.sessions.recordAnswer(verdict.write)
    if (written !== undefined) {
      const { likelihood, write: { response } } = verdict
      const after: SessionState = { ...verdict.after, currentThresholdMs: written.thresholdMs }
      if (after.status === 'in_progress') deps.sessions.set(after, written.shown, likelihood)
      else deps.sessions.delete(id)
      deps.eventsWritten()
      return { answer: answerView(response), ...stepOf(after, written.shown) }
    }
    if (++writes === MAX_WRITES) throw new NotCurrentItemError()
    held = await readOwnSession(deps, user, id)
  }
}
