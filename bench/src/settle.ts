// Quiet between measurements: the work a scenario leaves behind (events still in the outbox, mails still to
// send) must not run during the next measurement, or that one pays for it.
import { jetstreamManager } from '@nats-io/jetstream'
import { STREAMS, streamName } from '@dreamseed/events'
import type { Platform } from './platform.js'

const MAILER_DURABLE = 'notification-mailer'

export async function backlog (p: Platform): Promise<{ authOutbox: number, examOutbox: number, mailer: number }> {
  const [row] = await p.sql<Array<{ auth: number, exam: number }>>`select
    (select count(*)::int from auth.outbox where published_at is null) as auth,
    (select count(*)::int from exam.outbox where published_at is null) as exam`
  let mailer = 0
  try {
    const jsm = await jetstreamManager(p.nats)
    const users = STREAMS.find((s) => s.name === 'USERS')!
    const info = await jsm.consumers.info(streamName(p.options.eventsPrefix, users), MAILER_DURABLE)
    mailer = info.num_pending + info.num_ack_pending
  } catch {
    // the consumer is created when notification starts; none yet means nothing pending
  }
  return { authOutbox: row?.auth ?? 0, examOutbox: row?.exam ?? 0, mailer }
}

export async function settle (p: Platform, log: (line: string) => void, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const started = Date.now()
  for (;;) {
    const b = await backlog(p)
    if (b.authOutbox === 0 && b.examOutbox === 0 && b.mailer === 0) {
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
