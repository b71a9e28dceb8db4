// Quiet between measurements: the work a scenario leaves behind (events still in the outbox, mails still to
// send, answers analytics has not applied yet) must not run during the next measurement, or that one pays for it.
import { jetstreamManager } from '@nats-io/jetstream'
import { STREAMS, streamName } from '@dreamseed/events'
import type { Platform } from './platform.js'

/** The durable consumers whose backlog a measurement must not inherit, by the stream they read. */
const CONSUMERS: Array<{ stream: string, durable: string }> = [
  { stream: 'USERS', durable: 'notification-mailer' },
  { stream: 'USERS', durable: 'analytics-users' },
  { stream: 'ORGANIZATIONS', durable: 'analytics-organizations' },
  { stream: 'EXAMS', durable: 'analytics-exams' }
]

export interface Backlog { authOutbox: number, examOutbox: number, analyticsOutbox: number, consumers: Record<string, number> }

/** Messages a consumer has not acknowledged yet (pending and in flight); 0 when it does not exist yet. */
export async function consumerBacklog (p: Platform, stream: string, durable: string): Promise<number> {
  try {
    const jsm = await jetstreamManager(p.nats)
    const declaration = STREAMS.find((s) => s.name === stream)!
    const info = await jsm.consumers.info(streamName(p.options.eventsPrefix, declaration), durable)
    return info.num_pending + info.num_ack_pending
  } catch {
    // a consumer is created when its service starts; none yet means nothing pending
    return 0
  }
}

export async function backlog (p: Platform): Promise<Backlog> {
  const [row] = await p.sql<Array<{ auth: number, exam: number, analytics: number }>>`select
    (select count(*)::int from auth.outbox where published_at is null) as auth,
    (select count(*)::int from exam.outbox where published_at is null) as exam,
    (select count(*)::int from analytics.outbox where published_at is null) as analytics`
  const consumers: Record<string, number> = {}
  for (const c of CONSUMERS) {
    const n = await consumerBacklog(p, c.stream, c.durable)
    if (n > 0) consumers[c.durable] = n
  }
  return { authOutbox: row?.auth ?? 0, examOutbox: row?.exam ?? 0, analyticsOutbox: row?.analytics ?? 0, consumers }
}

const quiet = (b: Backlog): boolean => b.authOutbox === 0 && b.examOutbox === 0 && b.analyticsOutbox === 0 && Object.keys(b.consumers).length === 0

export async function settle (p: Platform, log: (line: string) => void, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const started = Date.now()
  for (;;) {
    const b = await backlog(p)
    if (quiet(b)) {
      if (Date.now() - started > 1000) log(`  settled in ${((Date.now() - started) / 1000).toFixed(1)} s`)
      return
    }
    if (Date.now() > deadline) {
      log(`  not settled after ${timeoutMs / 1000} s: ${JSON.stringify(b)}; going on`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
