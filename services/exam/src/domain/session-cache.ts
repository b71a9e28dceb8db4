// Sessions in progress kept in memory between answers, so an answer costs one statement. The database stays
// the truth: every write is conditional on the state cached here, and a session missing or stale here is
// read again.
import type { SessionState } from './session-state.js'

export interface SessionCache {
  get: (id: string) => SessionState | undefined
  set: (state: SessionState) => void
  delete: (id: string) => void
}

export function createSessionCache (max: number): SessionCache {
  const entries = new Map<string, SessionState>()
  return {
    get: (id) => {
      const state = entries.get(id)
      if (state !== undefined) { entries.delete(id); entries.set(id, state) }
      return state
    },
    set: (state) => {
      entries.delete(state.id)
      entries.set(state.id, state)
      while (entries.size > max) entries.delete(entries.keys().next().value!)
    },
    delete: (id) => { entries.delete(id) }
  }
}
