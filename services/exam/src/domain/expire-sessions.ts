// Ends sessions whose time ran out while nobody was looking (the student closed the page), so their result and
// completed event exist. Each pass claims a batch of due sessions (rows locked, SKIP LOCKED: replicas running
// it at once take different sessions), reads them in the same statement and ends them in one more, inside one
// transaction; a session is ended once, whoever ends it (a request seeing its time up, another replica).
import type { ExamDeps } from './deps.js'
import { resultOf } from './cat-step.js'
import type { Completion } from '../repositories/sessions-repository.js'
import { sessionCompleted } from './session-events.js'

export async function expireDueSessions (deps: ExamDeps, batch: number): Promise<number> {
  const now = deps.now()
  const ended = await deps.repos.transaction(async (tx) => {
    const claimed = await tx.sessions.claimDue(now, batch)
    if (claimed.length === 0) return []
    const completions: Completion[] = []
    for (const { state, bankVersion } of claimed) {
      const bank = await deps.bank.get(state.organizationId, bankVersion, tx.itemBank.load)
      const result = resultOf(bank, state.responses, { theta: state.theta, se: state.se })
      completions.push({ before: state, result, completed: sessionCompleted(state, 'time-limit', result, { now }) })
    }
    return await tx.sessions.complete(completions, now)
  })
  for (const id of ended) deps.sessions.delete(id)
  if (ended.length > 0) deps.eventsWritten()
  return ended.length
}
