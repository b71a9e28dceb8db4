// What a session looks like from outside: the session without its internals, the item without its key or
// parameters, and the step a student is at. Pure: built from a state and the text of the item shown, which is
// read with the statement that reads or moves the session (sessions-repository.ts), never kept in memory.
import type { SessionResult } from '@dreamseed/schema/exam'
import type { ItemText, SessionState } from './model.js'

/** An item as a student sees it: no key, no parameters, no status. */
export interface ItemForStudent {
  id: string
  stem: string
  options: string[]
  /** 0 for the first item of the session. */
  position: number
}

export interface SessionView {
  id: string
  examId: string
  studentId: string
  status: 'in_progress' | 'completed'
  startedAt: Date
  deadlineAt: Date | null
  completedAt: Date | null
  stopReason: string | null
  itemsAnswered: number
  responseCount: number
  result: SessionResult | null
}

export interface SessionStep {
  session: SessionView
  item: ItemForStudent | null
  result: SessionResult | null
}

export interface AnswerOutcome extends SessionStep {
  answer: { itemId: string, optionIndex: number, position: number, timeTakenMs: number | null }
}

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
  result: s.result
})

export function itemForStudent (text: ItemText | null, position: number): ItemForStudent | null {
  return text === null ? null : { id: text.id, stem: text.stem, options: text.options, position }
}

/** The step a session is at; `shown` is the text of its current item. */
export const stepOf = (s: SessionState, shown: ItemText | null): SessionStep => ({
  session: sessionView(s),
  item: s.status === 'in_progress' && shown !== null && shown.id === s.currentItemId ? itemForStudent(shown, s.responseCount) : null,
  result: s.result
})
