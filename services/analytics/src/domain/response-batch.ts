// Writes the exam.response.recorded events of a batch, the bulk of what analytics takes in, with one statement
// per table instead of four per event. Every write of a response is an insert that leaves an existing row
// alone, so of all the responses naming a row the first decides it, as when they are applied one by one: the
// statements keep the first of each key in stream order. Another event of the batch is applied in its place
// in the stream; the responses gathered before it are written first unless applying it ahead of them ends in
// the same state (commutesWith), which for the events exam publishes is all but always.
import type { Envelope, ExamResponseRecordedV1 } from '@dreamseed/events'
import type { Tx } from '@dreamseed/kit'
import { createExamsRepository } from '../repositories/exams-repository.js'
import { createItemsRepository } from '../repositories/items-repository.js'
import { createResponsesRepository, type NewResponse } from '../repositories/responses-repository.js'
import { createSessionsRepository, type SessionKey } from '../repositories/sessions-repository.js'
import { responseRow } from './exam-projections.js'

export const RESPONSE_RECORDED = 'exam.response.recorded.v1'

// Events whose writes touch no table a response writes (accounts, classrooms, memberships): any order.
const DISJOINT = new Set(['user.created.v1', 'user.role.changed.v1', 'user.disabled.v1', 'organization.member.added.v1', 'classroom.created.v1', 'classroom.member.added.v1', 'classroom.member.removed.v1'])
// Events that overwrite every column of the row a response leaves (a changedAt of null always loses to
// theirs): an item's or exam's row ends as theirs whether a response created it first or not.
const OVERWRITING = new Set(['exam.item.changed.v1', 'exam.assignment.changed.v1'])
// Events that insert the same session and exam rows a response does, with more columns: the same state in
// either order when they name the same exam, organization and student for them. (exam.session.voided removes
// responses: the ones gathered are written before it.)
const SAME_ROWS = new Set(['exam.session.started.v1', 'exam.session.completed.v1', 'exam.session.extended.v1'])

const sessionKeyOf = (k: SessionKey): string => `${k.examId}/${k.organizationId}/${k.studentId}`
const byKey = <T>(rows: Map<string, T>): T[] => [...rows.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, row]) => row)

export interface ResponseBatch {
  /** Gathers a response; returns the organizations whose data it changes. */
  add: (envelope: Envelope<unknown>) => string[]
  /** Whether `envelope` (of another type) may be applied ahead of the responses gathered so far. */
  commutesWith: (key: string, envelope: Envelope<unknown>) => boolean
  /** Writes the responses gathered so far. */
  flush: () => Promise<void>
}

export function createResponseBatch (tx: Tx): ResponseBatch {
  // The first response's values for each row it may create, by the row's key.
  let exams = new Map<string, { id: string, organizationId: string }>()
  let sessions = new Map<string, SessionKey>()
  let items = new Map<string, { id: string, organizationId: string }>()
  let responses = new Map<string, NewResponse>()
  const first = <T>(rows: Map<string, T>, key: string, row: T): void => { if (!rows.has(key)) rows.set(key, row) }

  return {
    add: (envelope) => {
      const data = envelope.data as ExamResponseRecordedV1
      first(exams, data.examId, { id: data.examId, organizationId: data.organizationId })
      first(sessions, data.sessionId, { sessionId: data.sessionId, examId: data.examId, organizationId: data.organizationId, studentId: data.studentId })
      first(items, data.itemId, { id: data.itemId, organizationId: data.organizationId })
      // Zero-padded, so the key order is (session, position) order.
      first(responses, `${data.sessionId}/${String(data.position).padStart(10, '0')}`, responseRow(data))
      return [data.organizationId]
    },

    commutesWith: (key, envelope) => {
      if (DISJOINT.has(key) || OVERWRITING.has(key)) return true
      if (!SAME_ROWS.has(key)) return false
      const data = envelope.data as SessionKey
      const exam = exams.get(data.examId)
      const session = sessions.get(data.sessionId)
      return (exam === undefined || exam.organizationId === data.organizationId) && (session === undefined || sessionKeyOf(session) === sessionKeyOf(data))
    },

    flush: async () => {
      if (responses.size === 0) return
      // Each table's rows in key order, and the tables in the one-by-one order, so concurrent batches lock
      // rows in the same order and wait for each other rather than deadlock.
      await createExamsRepository(tx).ensureMany(byKey(exams))
      await createSessionsRepository(tx).ensureMany(byKey(sessions))
      await createItemsRepository(tx).ensureMany(byKey(items))
      await createResponsesRepository(tx).recordMany(byKey(responses))
      exams = new Map()
      sessions = new Map()
      items = new Map()
      responses = new Map()
    }
  }
}
