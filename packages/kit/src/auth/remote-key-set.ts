// auth's public keys as the other services hold them: fetched from its JWKS, kept a while, and fetched again
// when a token names a key id the set lacks. Unlike jose's createRemoteJWKSet, an unknown key id is looked up
// in a set fetched after the token arrived, however recent the last fetch: during a key rotation the set in
// hand may come from a replica that did not publish the new key yet (see services/auth's README). Fetches
// for unknown key ids are spaced out and shared, so tokens naming keys auth never had cannot flood it.
import { setTimeout as sleep } from 'node:timers/promises'
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'

export interface RemoteKeySetOptions {
  /** How long a fetched set is trusted before it is fetched again (when that fails, it stays in use). Default 10 min. */
  maxAgeMs?: number
  /** Least time between the starts of two fetches; a token with an unknown key id waits for the next one. Default 1 s. */
  minIntervalMs?: number
  /** How long one fetch may take. Default 5 s. */
  timeoutMs?: number
  /** A refresh of a set past its age failed and the old set is used meanwhile. */
  onStaleRefreshFailed?: (err: unknown) => void
}

export function createRemoteKeySet (url: string, options: RemoteKeySetOptions = {}): JWTVerifyGetKey {
  const maxAgeMs = options.maxAgeMs ?? 600_000
  const minIntervalMs = options.minIntervalMs ?? 1000
  const timeoutMs = options.timeoutMs ?? 5000
  let current: { keys: JWTVerifyGetKey, fetchStartedAt: number } | undefined
  let inFlight: { startedAt: number, done: Promise<void> } | undefined
  let queued: Promise<void> | undefined
  let lastStartedAt = -Infinity

  const fetchNow = (): Promise<void> => {
    const startedAt = performance.now()
    lastStartedAt = startedAt
    const done = (async () => {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/jwk-set+json, application/json' } })
      if (res.status !== 200) throw new Error(`auth's JWKS answered ${res.status}`)
      const keys = createLocalJWKSet(await res.json() as JSONWebKeySet)
      if (current === undefined || current.fetchStartedAt < startedAt) current = { keys, fetchStartedAt: startedAt }
    })().finally(() => { if (inFlight?.done === done) inFlight = undefined })
    inFlight = { startedAt, done }
    return done
  }

  /** Resolves once a fetch that started at or after `since` has answered: the one in flight, the one queued, or a new one. */
  const fetchStartedSince = async (since: number): Promise<void> => {
    if (inFlight !== undefined && inFlight.startedAt >= since) { await inFlight.done; return }
    queued ??= (async () => {
      // Always yields first, so `queued` is set before it is cleared below.
      await inFlight?.done.catch(() => {})
      const wait = lastStartedAt + minIntervalMs - performance.now()
      if (wait > 0) await sleep(wait, undefined, { ref: false })
      queued = undefined
      await fetchNow()
    })()
    await queued
  }

  return async (protectedHeader, token) => {
    const arrived = performance.now()
    if (current === undefined) {
      await fetchStartedSince(arrived)
    } else if (arrived - current.fetchStartedAt > maxAgeMs) {
      // The keys in an old set are still auth's unless a rotation ended, and that only drops keys whose
      // tokens have expired: better than refusing every token while auth cannot be reached.
      await fetchStartedSince(arrived).catch((err: unknown) => { options.onStaleRefreshFailed?.(err) })
    }
    try {
      return await current!.keys(protectedHeader, token)
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || current!.fetchStartedAt >= arrived) throw err
      await fetchStartedSince(arrived)
      return await current!.keys(protectedHeader, token)
    }
  }
}
