// The request shapes the load process sends, as autocannon request definitions. Stateful flows (a student
// answering the item the last answer returned) keep their state per connection in autocannon's context,
// which lives as long as the connection's request sequence: the sequence is made long enough never to wrap
// within a run (autocannon clears the context when it does).
import { randomUUID } from 'node:crypto'
import type { Request } from 'autocannon'
import type { Profile } from './jobs.js'

const json = { 'content-type': 'application/json' }

interface Context { student?: StudentState, pending?: 'start' | 'answer' }

interface StudentState { userId: string, token: string, examIndex: number, sessionId: string | null, itemId: string | null, options: number }

/** Where each student is in their exams; kept across runs, so a warm-up's session goes on in the measured run. */
const students = new Map<string, StudentState>()

export interface BuiltProfile {
  requests: Request[]
  /** Non-answer requests made (session starts), reported beside the result. */
  extra: Record<string, number>
  /** 2xx responses while `recording`, by the replica the profile's `replicaHeader` names (LoadResult.servedBy). */
  servedBy: Record<string, number>
}

type Setup = (req: Request, context: Context) => Request
type OnResponse = (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => void

const sequence = (length: number, setupRequest: Setup, onResponse?: OnResponse): Request[] => {
  const request = { setupRequest, ...(onResponse === undefined ? {} : { onResponse }) } as unknown as Request
  return new Array<Request>(Math.ceil(length)).fill(request)
}

let counter = 0

/**
 * `longest`: more requests than one connection can send in the run (the length of a stateful sequence).
 * `recording`: whether the measured window is open, as the load process counts its answers.
 */
export function buildProfile (profile: Profile, longest: number, recording: () => boolean): BuiltProfile {
  const extra: Record<string, number> = {}
  const servedBy: Record<string, number> = {}
  switch (profile.kind) {
    case 'register':
      return {
        extra,
        servedBy,
        requests: [{
          method: 'POST',
          headers: json,
          setupRequest: (req: Request) => ({ ...req, path: '/auth/register', body: JSON.stringify({ email: `${profile.tag}-${counter++}@bench.example.org`, password: profile.password, role: 'student', displayName: 'Bench Student' }) })
        } as Request]
      }
    case 'password':
      return { extra, servedBy, requests: [{ method: 'POST', path: profile.path, headers: json, body: JSON.stringify({ password: profile.password }) }] }
    case 'login':
      return {
        extra,
        servedBy,
        requests: [{
          method: 'POST',
          headers: json,
          setupRequest: (req: Request) => ({ ...req, path: '/auth/login', body: JSON.stringify({ email: profile.emails[counter++ % profile.emails.length], password: profile.password }) })
        } as Request]
      }
    case 'get':
      return {
        extra,
        servedBy,
        requests: [{
          method: 'GET',
          setupRequest: (req: Request) => {
            const i = counter++
            const token = profile.tokens?.[i % profile.tokens.length]
            return { ...req, path: profile.paths[i % profile.paths.length]!, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }
          }
        } as Request]
      }
    case 'insert':
      return {
        extra,
        servedBy,
        requests: [{
          method: 'POST',
          headers: json,
          setupRequest: (req: Request) => ({ ...req, path: profile.path, body: JSON.stringify({ sessionId: randomUUID(), itemId: randomUUID(), optionIndex: counter++ % 4, timeTakenMs: 1000 }) })
        } as Request]
      }
    case 'answer':
      return { extra, servedBy, requests: answerSequence(profile, extra, longest, countServed(profile.replicaHeader, servedBy, recording)) }
  }
}

/** Counts a response by the replica its header names; the same window and statuses as the load process's own count. */
function countServed (header: string | undefined, servedBy: Record<string, number>, recording: () => boolean): (status: number, headers: Record<string, string | string[]>) => void {
  return (status, headers) => {
    if (header === undefined || status < 200 || status >= 300 || !recording()) return
    const by = headers[header]
    const name = typeof by === 'string' ? by : 'unnamed'
    servedBy[name] = (servedBy[name] ?? 0) + 1
  }
}

function answerSequence (profile: Extract<Profile, { kind: 'answer' }>, extra: Record<string, number>, longest: number, served: (status: number, headers: Record<string, string | string[]>) => void): Request[] {
  let next = 0
  const stateOf = (s: { userId: string, token: string }): StudentState => {
    let state = students.get(s.userId)
    if (state === undefined) {
      state = { ...s, examIndex: 0, sessionId: null, itemId: null, options: 4 }
      students.set(s.userId, state)
    }
    state.token = s.token
    // A run begins with a resume: the last run's final answer may have been recorded without its reply read.
    state.itemId = null
    return state
  }
  const setup: Setup = (req, context) => {
    context.student ??= stateOf(profile.students[next++ % profile.students.length]!)
    const s = context.student
    const headers = { authorization: `Bearer ${s.token}`, ...json }
    if (s.itemId === null || s.sessionId === null) {
      const examId = profile.examIds[s.examIndex]
      if (examId === undefined) throw new Error(`student ${s.userId} has finished all ${profile.examIds.length} exams: create more`)
      context.pending = 'start'
      // A start (or resume) has no body; it is the session's first step.
      return { ...req, method: 'POST', path: `/exam/exams/${examId}/sessions`, headers: { authorization: `Bearer ${s.token}` }, body: undefined }
    }
    context.pending = 'answer'
    const optionIndex = Math.floor(Math.random() * s.options)
    return { ...req, method: 'POST', path: `/exam/sessions/${s.sessionId}/answers`, headers, body: JSON.stringify({ itemId: s.itemId, optionIndex, timeTakenMs: 1000 }) }
  }
  const onResponse: OnResponse = (status, body, context, headers) => {
    served(status, headers)
    const s = context.student!
    if (context.pending === 'start') extra.sessionStarts = (extra.sessionStarts ?? 0) + 1
    if (status >= 300) {
      // Start again from the exam: a start resumes a session in progress, and moves on past a finished one.
      if (context.pending === 'start' && status === 409) s.examIndex++
      s.itemId = null
      return
    }
    const step = JSON.parse(body) as { session: { id: string }, item: { id: string, options: string[] } | null }
    s.sessionId = step.session.id
    if (step.item === null) {
      s.itemId = null
      s.examIndex++
    } else {
      s.itemId = step.item.id
      s.options = step.item.options.length
    }
  }
  return sequence(longest, setup, onResponse)
}
