// Sessions in progress kept in memory between answers, each with the text of the item it shows (so an answer
// sent again is answered from memory), so an answer costs one statement. The database stays the truth: every
// write is conditional on the state cached here, and a session missing or stale here is read again.
import type { ItemText, SessionState } from './model.js'
import type { Likelihood } from './cat-step.js'

export interface Remembered {
  state: SessionState
  /** The text of the item the session shows (null when it was not read with the session). */
  shown: ItemText | null
  /** The ability estimate's sums over the session's answers, for the next answer to extend (cat-step.ts). */
  likelihood?: Likelihood
}

export interface SessionCache {
  get: (id: string) => Remembered | undefined
  set: (state: SessionState, shown: ItemText | null, likelihood?: Likelihood) => void
  delete: (id: string) => void
}

export function createSessionCache (max: number): SessionCache {
  const entries = new Map<string, Remembered>()
  return {
    get: (id) => {
      const entry = entries.get(id)
      if (entry !== undefined) { entries.delete(id); entries.set(id, entry) }
      return entry
    },
    set: (state, shown, likelihood) => {
      entries.delete(state.id)
      entries.set(state.id, { state, shown: shown?.id === state.currentItemId ? shown : null, ...(likelihood === undefined ? {} : { likelihood }) })
      while (entries.size > max) entries.delete(entries.keys().next().value!)
    },
    delete: (id) => { entries.delete(id) }
  }
}
