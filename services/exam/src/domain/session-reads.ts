// A session as a request works with it. Postgres is the truth: a session is read from it whole, with its
// organization's bank version in the same statement, and the bank used with it is at least that new. The
// read replaces what this process holds in memory, so the answers that follow start from it; an answer from
// memory is checked by its conditional write (see answer-item.ts).
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { SessionNotFoundError } from '../errors.js'
import type { ItemText, OrganizationBank, RequestContext, SessionState } from './model.js'
import { resultOf, type Likelihood } from './cat-step.js'
import type { LoadedSession } from '../repositories/sessions-repository.js'
import { sessionCompleted } from './session-events.js'

/** A session and its organization's bank; fresh when both were read from the database by this request (with the text of the item shown). */
export interface Held {
  state: SessionState
  bank: OrganizationBank
  fresh: boolean
  shown: ItemText | null
  /** What memory kept of the ability estimate's sums with the session (cat-step.ts); never with a fresh read. */
  likelihood?: Likelihood
}

/** A session just read replaces what memory holds of it: kept while in progress, let go once ended. */
export function remember (deps: ExamDeps, state: SessionState, shown: ItemText | null): void {
  if (state.status === 'in_progress') deps.sessions.set(state, shown)
  else deps.sessions.delete(state.id)
}

/** A session just read, remembered, with its bank at least as new as the version read with it. */
export async function freshHeld (deps: ExamDeps, loaded: LoadedSession): Promise<Held> {
  remember(deps, loaded.state, loaded.shown)
  return { state: loaded.state, bank: await deps.bank.get(loaded.state.organizationId, loaded.bankVersion), fresh: true, shown: loaded.shown }
}

/** The student's own session as the database has it now; anyone else's is "not found". */
export async function readOwnSession (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<Held> {
  const loaded = await deps.repos.sessions.load(id, { studentId: user.id })
  if (loaded === undefined) throw new SessionNotFoundError()
  return await freshHeld(deps, loaded)
}

/** Ends a session whose time is up (once, whoever sees it first) and returns it as it now is. */
export async function expireIfDue (deps: ExamDeps, held: Held, context: RequestContext): Promise<Held> {
  const { state, bank } = held
  const now = deps.now()
  if (state.status !== 'in_progress' || state.deadlineAt === null || now.getTime() < state.deadlineAt.getTime()) return held
  const result = resultOf(bank, state.responses, { theta: state.theta, se: state.se }, deps.effort.flagBelow)
  const completed = sessionCompleted(state, 'time-limit', result, { now, ...context })
  const ended = await deps.repos.sessions.complete([{ before: state, result, stopReason: 'time-limit', completed }], now)
  if (ended.length === 1) {
    deps.sessions.delete(state.id)
    deps.eventsWritten()
    return { ...held, state: { ...state, status: 'completed', completedAt: now, stopReason: 'time-limit', result } }
  }
  // It moved on meanwhile (an answer just before the deadline, another replica ending it): as it is now.
  const loaded = await deps.repos.sessions.load(state.id)
  if (loaded === undefined) throw new SessionNotFoundError()
  return await freshHeld(deps, loaded)
}
