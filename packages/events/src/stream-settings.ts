// What `pnpm streams:apply` reads besides NATS_URL and EVENTS_PREFIX, checked before it connects: how many
// copies of each stream to keep, and how much file storage all the streams may reserve together (JetStream
// reserves every stream's max_bytes on each server that holds a copy, used or not).
export const MiB = 1024 ** 2
export const GiB = 1024 ** 3

export interface StreamSettings {
  /** Copies of each stream: one per NATS server (STREAM_REPLICAS). */
  replicas: number
  /** The sum of every stream's max_bytes, for one copy; streams.ts splits it by weight (STREAMS_MAX_BYTES). */
  totalBytes: number
}

/** 3 GiB of the 5 GiB volume k8s/nats/values.yaml gives a NATS server: the rest is room for its own files. */
export const DEFAULT_STREAM_SETTINGS: StreamSettings = { replicas: 1, totalBytes: 3 * GiB }

/** Below this some streams would get a share of a couple of MiB. */
export const MIN_TOTAL_BYTES = 64 * MiB

export class StreamSettingsError extends Error {
  readonly code = 'EVENTS_INVALID_STREAM_SETTINGS'
  readonly problems: string[]
  constructor (problems: string[]) {
    super(`Invalid stream settings:\n  - ${problems.join('\n  - ')}`)
    this.name = 'StreamSettingsError'
    this.problems = problems
  }
}

const UNITS: Record<string, number> = { '': 1, B: 1, Ki: 1024, KiB: 1024, Mi: MiB, MiB, Gi: GiB, GiB, Ti: 1024 ** 4, TiB: 1024 ** 4 }

/** Bytes, or a number of KiB, MiB, GiB or TiB (Kubernetes' Ki, Mi, Gi, Ti too). "GB" is refused: 10^9 or 2^30 would be a guess. */
export function parseBytes (raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(raw.trim())
  const unit = m === null ? undefined : UNITS[m[2]!]
  if (m === null || unit === undefined) throw new Error('expected bytes, or a size in KiB, MiB, GiB or TiB such as 3GiB')
  const bytes = Math.floor(Number(m[1]) * unit)
  if (!Number.isSafeInteger(bytes)) throw new Error('too large')
  return bytes
}

/** A size as people read it: 3.00 GiB, 455.0 MiB. */
export function formatBytes (bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(2)} GiB`
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`
  return `${bytes} B`
}

type Env = Record<string, string | undefined>

/** The settings from the environment, or every problem with them at once. */
export function streamSettings (env: Env): StreamSettings {
  const problems: string[] = []
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T): T => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    try { return parse(raw) } catch (err) {
      problems.push(`${name} is invalid: ${(err as Error).message} (got ${JSON.stringify(raw.slice(0, 100))})`)
      return fallback
    }
  }
  const replicas = read('STREAM_REPLICAS', DEFAULT_STREAM_SETTINGS.replicas, (raw) => {
    // JetStream keeps at most 5 copies of a stream.
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 5) throw new Error('expected a whole number from 1 to 5')
    return Number(raw)
  })
  const totalBytes = read('STREAMS_MAX_BYTES', DEFAULT_STREAM_SETTINGS.totalBytes, (raw) => {
    const bytes = parseBytes(raw)
    if (bytes < MIN_TOTAL_BYTES) throw new Error(`expected at least ${formatBytes(MIN_TOTAL_BYTES)}`)
    return bytes
  })
  if (problems.length > 0) throw new StreamSettingsError(problems)
  return { replicas, totalBytes }
}
