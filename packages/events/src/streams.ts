// Every stream, declared once: which subjects it holds and how long. Created or updated idempotently by
// `pnpm streams:apply` (and by the start command), never ad hoc by a service at start.
import { RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream'

const NS_PER_MS = 1_000_000
const DAY_MS = 86_400_000

export interface StreamDeclaration {
  /** Name without the prefix, e.g. USERS. */
  name: string
  /** Subject patterns without the prefix, e.g. user.> */
  subjects: string[]
  description: string
  maxAgeMs: number
  maxBytes: number
  duplicateWindowMs: number
}

export const STREAMS: StreamDeclaration[] = [
  { name: 'USERS', subjects: ['user.>'], description: 'account life cycle events from auth', maxAgeMs: 365 * DAY_MS, maxBytes: 4 * 1024 ** 3, duplicateWindowMs: 10 * 60_000 },
  { name: 'ORGANIZATIONS', subjects: ['organization.>', 'classroom.>'], description: 'organizations, classrooms and memberships from auth', maxAgeMs: 365 * DAY_MS, maxBytes: 4 * 1024 ** 3, duplicateWindowMs: 10 * 60_000 },
  { name: 'EXAMS', subjects: ['exam.>'], description: 'exam sessions and responses from exam', maxAgeMs: 365 * DAY_MS, maxBytes: 16 * 1024 ** 3, duplicateWindowMs: 10 * 60_000 },
  { name: 'ANALYTICS', subjects: ['analytics.>'], description: 'calibration decisions from analytics', maxAgeMs: 365 * DAY_MS, maxBytes: 1024 ** 3, duplicateWindowMs: 10 * 60_000 },
  { name: 'DEADLETTERS', subjects: ['deadletter.>'], description: 'events a consumer gave up on, with the consumer, the reason and the original sequence (pnpm dead-letters)', maxAgeMs: 90 * DAY_MS, maxBytes: 1024 ** 3, duplicateWindowMs: 24 * 60 * 60_000 },
  { name: 'REPLAYS', subjects: ['replay.>'], description: 'dead letters sent back to the one consumer that failed them', maxAgeMs: 7 * DAY_MS, maxBytes: 1024 ** 3, duplicateWindowMs: 60_000 }
]

export const streamName = (prefix: string, declaration: StreamDeclaration): string =>
  `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_${declaration.name}`

export interface StreamOptions {
  replicas?: number
  /** Caps every stream's size (tests: JetStream reserves each stream's max_bytes against the server's storage). */
  maxBytes?: number
}

export function streamConfig (prefix: string, declaration: StreamDeclaration, options: StreamOptions = {}): Partial<StreamConfig> & { name: string } {
  return {
    name: streamName(prefix, declaration),
    subjects: declaration.subjects.map((s) => `${prefix}.${s}`),
    description: declaration.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: declaration.maxAgeMs * NS_PER_MS,
    max_bytes: Math.min(declaration.maxBytes, options.maxBytes ?? declaration.maxBytes),
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

export async function applyStreams (jsm: JetStreamManager, prefix: string, options: StreamOptions = {}): Promise<Array<{ name: string, action: 'created' | 'updated' }>> {
  const out: Array<{ name: string, action: 'created' | 'updated' }> = []
  for (const declaration of STREAMS) {
    const config = streamConfig(prefix, declaration, options)
    try {
      await jsm.streams.info(config.name)
      await jsm.streams.update(config.name, config)
      out.push({ name: config.name, action: 'updated' })
    } catch (err) {
      if ((err as { name?: string }).name !== 'StreamNotFoundError' && !/stream not found/i.test((err as Error).message)) throw err
      await jsm.streams.add(config)
      out.push({ name: config.name, action: 'created' })
    }
  }
  return out
}
