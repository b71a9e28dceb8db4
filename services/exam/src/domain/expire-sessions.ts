// What the expiry job does in each pass, for sessions nobody is looking at: suspends sessions in progress gone
// idle (their clocks stopped from their last activity), ends paused and suspended ones past their resume window,
// and ends sessions whose time ran out (the student closed the page), so their results and completed events
// exist. Each claims a batch of rows (locked, SKIP LOCKED: replicas running it at once take different sessions),
// reads them in the same statement and changes them in one more, inside one transaction; a session is changed
// once, whoever gets to it (a request, another replica).
import type { ExamDeps } from './deps.js'
import { resultOf } from './cat-step.js'
import type { Completion, LoadedSession } from '../repositories/sessions-repository.js'
import type { TxRepositories } from '../repositories/index.js'
import { sessionCompleted, sessionPaused } from './session-events.js'
import { RESUME_WINDOW } from './pause-session.js'

/** Ends the claimed sessions, each scored on what it has, with its stop reason; returns how many were ended. */
async function endClaimed (deps: ExamDeps, tx: TxRepositories, claimed: LoadedSession[], now: Date, stopReason: 'time-limit' | typeof RESUME_WINDOW): Promise<string[]> {
  if (claimed.length === 0) return []
  const completions: Completion[] = []
  for (const { state, bankVersion } of claimed) {
    const bank = await deps.bank.get(state.organizationId, bankVersion, tx.itemBank.load)
    const result = resultOf(bank, state.responses, { theta: state.theta, se: state.se }, deps.effort.flagBelow)
    // A window's ending is time-limit to v1's subscribers, with endedBy saying which (a new reason would break them).
    const completed = sessionCompleted(state, 'time-limit', result, { now }, stopReason === RESUME_WINDOW ? RESUME_WINDOW : undefined)
    completions.push({ before: state, result, stopReason, completed })
  }
  return await tx.sessions.complete(completions, now)
}

function ended (deps: ExamDeps, ids: string[]): number {
  for (const id of ids) deps.sessions.delete(id)
  if (ids.length > 0) deps.eventsWritten()
  return ids.length
}

export async function expireDueSessions (deps: ExamDeps, batch: number): Promise<number> {
  const now = deps.now()
  return ended(deps, await deps.repos.transaction(async (tx) => await endClaimed(deps, tx, await tx.sessions.claimDue(now, batch), now, 'time-limit')))
}

/** Ends paused and suspended sessions whose resume window (from their start) has passed. */
export async function endSessionsPastWindow (deps: ExamDeps, batch: number): Promise<number> {
  const now = deps.now()
  const startedBefore = new Date(now.getTime() - deps.pauses.resumeWindowMs)
  return ended(deps, await deps.repos.transaction(async (tx) => await endClaimed(deps, tx, await tx.pauses.claimPastWindow(startedBefore, batch), now, RESUME_WINDOW)))
}

/** Suspends sessions in progress with no activity for EXAM_SUSPEND_AFTER_S, their clocks stopped at their last activity. */
export async function suspendIdleSessions (deps: ExamDeps, batch: number): Promise<number> {
  const now = deps.now()
  const { suspendAfterMs } = deps.pauses
  const ids = await deps.repos.transaction(async (tx) => {
    const idle = await tx.pauses.claimIdle(new Date(now.getTime() - suspendAfterMs), suspendAfterMs, batch)
    if (idle.length === 0) return []
    return await tx.pauses.suspend(idle.map((session) => ({ session, paused: sessionPaused(session, { by: null, reason: 'idle', at: session.lastActivityAt }, { now }) })), now)
  })
  for (const id of ids) deps.sessions.delete(id)
  if (ids.length > 0) deps.eventsWritten()
  return ids.length
}
