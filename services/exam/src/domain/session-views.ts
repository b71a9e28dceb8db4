// What a session looks like from outside: the session without its internals, the item without its key or
// parameters, and the step a student is at. Pure: built from a state and the text of the item shown, which is
// read with the statement that reads or moves the session (sessions-repository.ts), never kept in memory.
import type { ItemAnswer, SessionResult } from '@dreamseed/schema/exam'
import type { AccommodationProfile, ItemText, SessionState, SessionStatus } from './model.js'

/** An item as a student sees it: no key, no parameters, no status; with its passage's stimulus when it has one. */
export interface ItemForStudent {
  id: string
  type: ItemText['type']
  stem: string
  options: string[]
  passage: ItemText['passage']
  /** 0 for the first item of the session. */
  position: number
}

export interface SessionView {
  id: string
  examId: string
  studentId: string
  status: SessionStatus
  startedAt: Date
  deadlineAt: Date | null
  completedAt: Date | null
  stopReason: string | null
  itemsAnswered: number
  responseCount: number
  /** Responses flagged as rapid guesses (effort.ts): with responseCount, the session's response-time effort. */
  rapidGuesses: number
  result: SessionResult | null
  /** While paused or suspended: when the clock stopped; and why the last pause was (student, teacher, admin, idle). */
  pausedAt: Date | null
  pauseReason: string | null
  /** Time spent paused or suspended over the pauses resumed so far (the deadline has moved by as much). */
  pausedMs: number
  /** Seconds a teacher or an admin added to the time limit. */
  extendedS: number
  /** Set once a teacher or an admin voided the session: its result counts in no analytics score. */
  voidedAt: Date | null
  voidReason: string | null
  /** The accommodation profile the session started with (its time limit was scaled by it); null: none. */
  accommodations: AccommodationProfile | null
}

export interface SessionStep {
  session: SessionView
  item: ItemForStudent | null
  result: SessionResult | null
}

/** An answer as it was recorded: the option (single, rating) or the answer given (other types). */
export interface RecordedAnswerView {
  itemId: string
  optionIndex?: number
  choices?: number[]
  value?: number
  text?: string
  position: number
  timeTakenMs: number | null
}

export interface AnswerOutcome extends SessionStep {
  answer: RecordedAnswerView
}

export const answerView = (r: { itemId: string, optionIndex: number | null, answer: ItemAnswer | null, position: number, timeTakenMs: number | null }): RecordedAnswerView => ({
  itemId: r.itemId,
  ...(r.optionIndex === null ? {} : { optionIndex: r.optionIndex }),
  ...r.answer,
  position: r.position,
  timeTakenMs: r.timeTakenMs
})

export const sessionView = (s: SessionState): SessionView => ({
  id: s.id,
  examId: s.examId,
  studentId: s.studentId,
  status: s.status,
  startedAt: s.startedAt,
  deadlineAt: s.deadlineAt,
  completedAt: s.completedAt,
  stopReason: s.stopReason,
  itemsAnswered: s.itemsAnswered,
  responseCount: s.responseCount,
  rapidGuesses: s.rapidCount,
  result: s.result,
  pausedAt: s.pausedAt,
  pauseReason: s.pauseReason,
  pausedMs: s.pausedMs,
  extendedS: s.extendedS,
  voidedAt: s.voidedAt,
  voidReason: s.voidReason,
  accommodations: s.accommodations
})

export function itemForStudent (text: ItemText | null, position: number): ItemForStudent | null {
  return text === null ? null : { id: text.id, type: text.type, stem: text.stem, options: text.options, passage: text.passage, position }
}

/** The step a session is at; `shown` is the text of its current item, shown only while the session is in progress (a paused one's item cannot be answered). */
export const stepOf = (s: SessionState, shown: ItemText | null): SessionStep => ({
  session: sessionView(s),
  item: s.status === 'in_progress' && shown !== null && shown.id === s.currentItemId ? itemForStudent(shown, s.responseCount) : null,
  result: s.result
})
