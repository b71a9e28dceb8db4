// Every stream, declared once: which subjects it holds, how long, and its share of the storage all streams
// may reserve (STREAMS_MAX_BYTES, stream-settings.ts). Created or updated idempotently by
// `pnpm streams:apply` (and by the start command), never ad hoc by a service at start.
import { RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream'
import { addStream, checkRoom } from './stream-room.js'
import { DEFAULT_STREAM_SETTINGS, MiB, formatBytes } from './stream-settings.js'

const NS_PER_MS = 1_000_000
const DAY_MS = 86_400_000

export interface StreamDeclaration {
  /** Name without the prefix, e.g. USERS. */
  name: string
  /** Subject patterns without the prefix, e.g. user.> */
  subjects: string[]
  description: string
  maxAgeMs: number
  /** Its share of the total size, in parts of the sum of every stream's weight. */
  weight: number
  duplicateWindowMs: number
}

// Weights: exam responses outnumber everything else; dead letters and replays should stay few.
export const STREAMS: StreamDeclaration[] = [
  { name: 'USERS', subjects: ['user.>'], description: 'account life cycle events from auth', maxAgeMs: 365 * DAY_MS, weight: 4, duplicateWindowMs: 10 * 60_000 },
  { name: 'ORGANIZATIONS', subjects: ['organization.>', 'classroom.>'], description: 'organizations, classrooms and memberships from auth', maxAgeMs: 365 * DAY_MS, weight: 4, duplicateWindowMs: 10 * 60_000 },
  { name: 'EXAMS', subjects: ['exam.>'], description: 'exam sessions and responses from exam', maxAgeMs: 365 * DAY_MS, weight: 16, duplicateWindowMs: 10 * 60_000 },
  { name: 'ANALYTICS', subjects: ['analytics.>'], description: 'calibration decisions from analytics', maxAgeMs: 365 * DAY_MS, weight: 1, duplicateWindowMs: 10 * 60_000 },
  { name: 'DEADLETTERS', subjects: ['deadletter.>'], description: 'events a consumer gave up on, with the consumer, the reason and the original sequence (pnpm dead-letters)', maxAgeMs: 90 * DAY_MS, weight: 1, duplicateWindowMs: 24 * 60 * 60_000 },
  { name: 'REPLAYS', subjects: ['replay.>'], description: 'dead letters sent back to the one consumer that failed them', maxAgeMs: 7 * DAY_MS, weight: 1, duplicateWindowMs: 60_000 }
]

export const streamName = (prefix: string, declaration: Pick<StreamDeclaration, 'name'>): string =>
  `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_${declaration.name}`

export interface StreamOptions {
  /** Copies of each stream (STREAM_REPLICAS); 1 by default. */
  replicas?: number
  /** The sum of every stream's size, for one copy, split by weight (STREAMS_MAX_BYTES); 3 GiB by default. */
  totalBytes?: number
  /** Caps every stream's size (tests: JetStream reserves each stream's max_bytes against the server's storage). */
  maxBytes?: number
}

/** A stream's max_bytes: its weight's share of the total, in whole MiB so the shares never add up to more. */
export function streamMaxBytes (declaration: StreamDeclaration, options: StreamOptions = {}): number {
  const total = options.totalBytes ?? DEFAULT_STREAM_SETTINGS.totalBytes
  const weights = STREAMS.reduce((sum, d) => sum + d.weight, 0)
  const share = Math.floor(total * declaration.weight / weights / MiB) * MiB
  return Math.min(share, options.maxBytes ?? share)
}

export function streamConfig (prefix: string, declaration: StreamDeclaration, options: StreamOptions = {}): Partial<StreamConfig> & { name: string, max_bytes: number } {
  return {
    name: streamName(prefix, declaration),
    subjects: declaration.subjects.map((s) => `${prefix}.${s}`),
    description: declaration.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: declaration.maxAgeMs * NS_PER_MS,
    max_bytes: streamMaxBytes(declaration, options),
    duplicate_window: declaration.duplicateWindowMs * NS_PER_MS,
    num_replicas: options.replicas ?? 1
  }
}

/** Which stream holds an event type, so consumers need not repeat it. */
export function streamFor (prefix: string, type: string): string {
  const declaration = STREAMS.find((d) => d.subjects.some((s) => s.endsWith('.>') ? type.startsWith(s.slice(0, -1)) : s === type))
  if (declaration === undefined) throw new Error(`no stream holds ${type}`)
  return streamName(prefix, declaration)
}

export interface StreamReservation {
  name: string
  /** max_bytes it will have, for one copy. */
  bytes: number
  /** What it reserves now (0 when it does not exist or has no max_bytes); undefined when it does not exist. */
  current: number | undefined
}

export class StreamsDoNotFitError extends Error {
  readonly code = 'EVENTS_STREAMS_DO_NOT_FIT'
  constructor (
    readonly streams: StreamReservation[],
    readonly replicas: number,
    /** Bytes more than the streams reserve now, for one copy. */
    readonly needed: number,
    /** The most the server accepted (to within 1 MiB below). */
    readonly offered: number,
    readonly accountLimit: number | undefined
  ) {
    const total = streams.reduce((sum, s) => sum + s.bytes, 0)
    const width = Math.max(...streams.map((s) => s.name.length), 'account limit'.length)
    const row = (label: string, text: string): string => `  ${label.padEnd(width)}  ${text}`
    super([
      'The streams do not fit in JetStream\'s file storage: nothing was created or changed.',
      ...streams.map((s) => row(s.name, `${formatBytes(s.bytes)} ${s.current === undefined ? '(new)' : `(reserves ${formatBytes(s.current)} now)`}`)),
      row('total', `${formatBytes(total)} per copy, ${replicas} ${replicas === 1 ? 'copy' : 'copies'}: ${formatBytes(needed)} more than these streams reserve now`),
      row('offered', `${formatBytes(offered)} more (the largest stream of ${replicas} ${replicas === 1 ? 'copy' : 'copies'} the server accepts now, to within 1 MiB)`),
      ...(accountLimit === undefined ? [] : [row('account limit', `${formatBytes(accountLimit)} (this account's max_storage)`)]),
      'Lower STREAMS_MAX_BYTES, or give JetStream more storage (max_file_store, the volume).'
    ].join('\n'))
    this.name = 'StreamsDoNotFitError'
  }
}

function notFound (err: unknown): boolean {
  return (err as { name?: string }).name === 'StreamNotFoundError' || /stream not found/i.test((err as Error).message)
}

/**
 * Creates or updates every declared stream, once the server has shown it has room for what they reserve
 * beyond what the existing ones already do; otherwise throws StreamsDoNotFitError having changed nothing.
 */
export async function applyStreams (jsm: JetStreamManager, prefix: string, options: StreamOptions = {}): Promise<Array<{ name: string, action: 'created' | 'updated' }>> {
  const replicas = options.replicas ?? 1
  const planned: Array<StreamReservation & { config: ReturnType<typeof streamConfig> }> = []
  for (const declaration of STREAMS) {
    const config = streamConfig(prefix, declaration, options)
    let current: number | undefined
    try {
      const existing = (await jsm.streams.info(config.name)).config
      current = existing.storage === StorageType.File && existing.max_bytes > 0 ? existing.max_bytes : 0
    } catch (err) {
      if (!notFound(err)) throw err
    }
    planned.push({ name: config.name, bytes: config.max_bytes, current, config })
  }
  const needed = planned.reduce((sum, p) => sum + p.bytes - (p.current ?? 0), 0)
  const room = await checkRoom(jsm, { name: streamName(prefix, { name: 'ROOM_PROBE' }), subject: `${prefix}.streams-apply.room-probe` }, needed, replicas)
  if (!room.fits) throw new StreamsDoNotFitError(planned.map(({ name, bytes, current }) => ({ name, bytes, current })), replicas, needed, room.offered ?? 0, room.accountLimit)
  // Shrinking streams first frees their bytes before others grow, so no step needs more than the end state.
  const order = [...planned].sort((a, b) => (a.bytes - (a.current ?? 0)) - (b.bytes - (b.current ?? 0)))
  const action = new Map<string, 'created' | 'updated'>()
  for (const p of order) {
    if (p.current === undefined) await addStream(jsm, p.config)
    else await jsm.streams.update(p.config.name, p.config)
    action.set(p.name, p.current === undefined ? 'created' : 'updated')
  }
  return planned.map((p) => ({ name: p.name, action: action.get(p.name)! }))
}
