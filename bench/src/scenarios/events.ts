// Scenario 6: events. (a) A registration's verification mail, timed from the request to notification's
// delivery row, at half the registration rate the machine saturates at. (b) The outbox relay's publish rate
// beside publishing the same envelopes straight to JetStream, pipelined.
import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/postgres-js'
import { authOutbox } from '@dreamseed/schema/auth'
import { newEnvelope, newEventId, outboxRow, subjectOf, userVerifiedV1, type Envelope } from '@dreamseed/events'
import type { Platform } from '../platform.js'
import { PASSWORD } from '../platform.js'
import { expectStatus, postJson } from '../http.js'
import { summarize } from '../load/jobs.js'
import { ratioOf, type Measure, type Row } from '../report.js'
import { settle } from '../settle.js'

type Log = (line: string) => void

export async function registrationToMail (p: Platform, saturationRate: number, log: Log): Promise<Row> {
  const o = p.options
  const rate = Math.max(1, saturationRate / 2)
  log(`6a registration → mail at ${rate.toFixed(1)}/s (half of ${saturationRate.toFixed(1)}/s)`)
  await settle(p, log)
  const tag = `mail${randomBytes(3).toString('hex')}`
  const sent = await p.load.paced({ name: 'register-paced', url: p.auth.url, rate, durationS: o.durationS, tag, password: PASSWORD })
  const endedAt = Date.now()
  // "No backlog": every accepted registration's mail is recorded within a second of the last request.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const rows = async () => await p.sql<Array<{ recipient: string, sent: Date }>>`select recipient, sent_at as sent from notification.email_deliveries where recipient like ${`${tag}-%`} and status = 'sent'`
  const atOneSecond = (await rows()).length
  const behind = sent.ok - atOneSecond
  const deadline = Date.now() + 60_000
  let delivered = await rows()
  while (delivered.length < sent.ok && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    delivered = await rows()
  }
  const drainMs = delivered.length === 0 ? 0 : Math.max(0, Math.max(...delivered.map((r) => r.sent.getTime())) - endedAt)
  // Each address carries the moment its request left the load process.
  const sentAtOf = (recipient: string): number => Number(/-(\d+)@/.exec(recipient)?.[1] ?? NaN)
  const latencies = delivered.map((r) => r.sent.getTime() - sentAtOf(r.recipient)).filter(Number.isFinite)
  const l = summarize(latencies)
  const first = Math.min(...delivered.map((r) => sentAtOf(r.recipient)))
  const last = Math.max(...delivered.map((r) => r.sent.getTime()))
  const spanS = delivered.length === 0 ? 1 : Math.max(0.001, (last - first) / 1000)
  const measured: Measure = { throughput: delivered.length / spanS, unit: 'mail/s', p50: l.p50, p95: l.p95, p99: l.p99, errors: sent.errors + (sent.ok - delivered.length), count: delivered.length }
  const offered: Measure = { throughput: sent.throughput, unit: 'req/s', p50: sent.latencyMs.p50, p95: sent.latencyMs.p95, p99: sent.latencyMs.p99, errors: sent.errors, count: sent.ok }
  return {
    id: '6a',
    scenario: 'registration → mail recorded',
    measured,
    baselineName: 'registrations sent',
    baseline: offered,
    ratio: ratioOf(measured, offered),
    target: { text: 'p99 < 1 s, no backlog', met: l.p99 < 1000 && behind === 0 && delivered.length === sent.ok },
    notes: [`open loop at ${rate.toFixed(1)} req/s (half the saturated registration rate); latency from the request leaving the load process to notification's sent_at; ${behind} mail(s) still unrecorded 1 s after the last request, all recorded ${(drainMs / 1000).toFixed(1)} s after it; baseline latency columns are the HTTP answers`]
  }
}

interface Arrivals { wait: (ids: Set<string>, timeoutMs: number) => Promise<number[]>, stop: () => void }

/** Arrival times of messages on a subject, by Nats-Msg-Id: the same clock for the relay and the raw publisher. */
function watch (p: Platform, subject: string): Arrivals {
  const seen = new Map<string, number>()
  const sub = p.nats.subscribe(subject, { callback: (_err, msg) => { const id = msg.headers?.get('Nats-Msg-Id'); if (id !== undefined && id !== '') seen.set(id, performance.now()) } })
  return {
    wait: async (ids, timeoutMs) => {
      const deadline = Date.now() + timeoutMs
      while ([...ids].some((id) => !seen.has(id))) {
        if (Date.now() > deadline) throw new Error(`only ${[...ids].filter((id) => seen.has(id)).length} of ${ids.size} events reached ${subject}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return [...ids].map((id) => seen.get(id)!).sort((a, b) => a - b)
    },
    stop: () => { sub.unsubscribe() }
  }
}

/** A rate from event times (first to last); the latency columns are the gaps between consecutive ones. */
export function rateOf (times: number[], unit: string, errors: number): Measure {
  const gaps = times.slice(1).map((t, i) => t - times[i]!)
  const l = summarize(gaps)
  const spanS = (times[times.length - 1]! - times[0]!) / 1000
  return { throughput: spanS > 0 ? (times.length - 1) / spanS : 0, unit, p50: l.p50, p95: l.p95, p99: l.p99, errors, count: times.length }
}

const envelopes = (n: number, tag: string): Envelope[] => Array.from({ length: n }, (_, i) =>
  newEnvelope(userVerifiedV1, { userId: newEventId(), email: `${tag}-${i}@bench.example.org`, verifiedAt: new Date().toISOString() }))

export async function relayRate (p: Platform, log: Log): Promise<Row> {
  const n = p.options.relayEvents
  log(`6b outbox relay vs raw JetStream publish, ${n} events each`)
  await settle(p, log)
  const subject = subjectOf(p.options.eventsPrefix, userVerifiedV1.type, userVerifiedV1.version)
  const arrivals = watch(p, subject)
  try {
    const relayed = envelopes(n, 'relay')
    const db = drizzle({ client: p.sql })
    // One transaction, so the relay finds them all at once and publishes them back to back.
    await db.transaction(async (tx) => {
      for (let i = 0; i < relayed.length; i += 500) await tx.insert(authOutbox).values(relayed.slice(i, i + 500).map((e) => outboxRow(e, (e.data as { userId: string }).userId)))
    })
    const relayTimes = await arrivals.wait(new Set(relayed.map((e) => e.id)), 120_000)
    await settle(p, log)
    // A publish the relay had to retry, or a row it never marked published, is an error.
    const [failed] = await p.sql<Array<{ n: number }>>`select count(*)::int as n from auth.outbox where id in ${p.sql(relayed.map((e) => e.id))} and (published_at is null or last_error is not null)`
    const relay = rateOf(relayTimes, 'msg/s', failed?.n ?? 0)

    // Every envelope here is its own user's, so the relay may have them all in flight at once (it awaits each
    // ack only before the next event of the same aggregate): the floor is JetStream taking them pipelined.
    const piped = envelopes(n, 'pipelined')
    const pipelined = expectStatus<{ elapsedMs: number }>(await postJson(p.baseline.url, '/bare/publish', { prefix: p.options.eventsPrefix, mode: 'pipelined', envelopes: piped }), 200, 'pipelined publish')
    const floor = rateOf(await arrivals.wait(new Set(piped.map((e) => e.id)), 120_000), 'msg/s', 0)
    await settle(p, log)
    const raw = envelopes(n, 'raw')
    const sequential = expectStatus<{ elapsedMs: number }>(await postJson(p.baseline.url, '/bare/publish', { prefix: p.options.eventsPrefix, mode: 'sequential', envelopes: raw }), 200, 'raw publish')
    await arrivals.wait(new Set(raw.map((e) => e.id)), 120_000)
    return {
      id: '6b',
      scenario: 'outbox relay publish rate',
      measured: relay,
      baselineName: 'raw JetStream publish, pipelined',
      baseline: floor,
      ratio: ratioOf(relay, floor),
      target: null,
      notes: [
        `${n} user.verified envelopes each, each of its own user; rate from the arrival times on a NATS subscription; latency columns are the time between consecutive publishes`,
        `raw publish 256 in flight (${(n / (pipelined.elapsedMs / 1000)).toFixed(0)} msg/s by the publisher's clock); awaiting each ack before the next, as the relay must within one aggregate, ${(n / (sequential.elapsedMs / 1000)).toFixed(0)} msg/s`
      ]
    }
  } finally {
    arrivals.stop()
  }
}
