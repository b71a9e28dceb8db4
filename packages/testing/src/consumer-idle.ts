// "Nothing more will happen" proved without a fixed sleep: a JetStream consumer is idle once every message
// its filter matches in the stream has been delivered and acknowledged (or terminated), so a redelivery, a
// retry waiting out its backoff or a delivery to a killed process would still show as pending.
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream'
import { waitFor } from './wait.js'

/** The stream's last sequence among the subjects the filter matches (0 when none does). */
async function lastSequence (jsm: JetStreamManager, stream: string, filter: string | undefined): Promise<number> {
  if (filter === undefined || filter === '') return (await jsm.streams.info(stream)).state.last_seq
  const last = await jsm.streams.getMessage(stream, { last_by_subj: filter }).catch((err: unknown) => {
    if (/no message found/i.test((err as Error).message)) return null
    throw err
  })
  return last?.seq ?? 0
}

function consumerIsIdle (info: ConsumerInfo, lastSeq: number): boolean {
  return info.num_pending === 0 && info.num_ack_pending === 0 && info.num_redelivered === 0 &&
    info.delivered.stream_seq >= lastSeq && info.ack_floor.stream_seq >= lastSeq
}

/**
 * Waits until the durable consumer has nothing pending or unacknowledged and has delivered up to the
 * stream's last message for its filter, then returns its info. Count the effects (mails, rows) after this.
 */
export async function waitForConsumerIdle (connection: NatsConnection | string, stream: string, durable: string, options: { timeoutMs?: number } = {}): Promise<ConsumerInfo> {
  const nc = typeof connection === 'string' ? await connect({ servers: connection }) : connection
  try {
    const jsm = await jetstreamManager(nc)
    let seen = 'nothing yet'
    try {
      return await waitFor(async () => {
        const info = await jsm.consumers.info(stream, durable)
        const last = await lastSequence(jsm, stream, info.config.filter_subject)
        seen = `pending ${info.num_pending}, unacknowledged ${info.num_ack_pending}, redelivered ${info.num_redelivered}, delivered up to ${info.delivered.stream_seq}, acknowledged up to ${info.ack_floor.stream_seq}, stream's last ${last}`
        return consumerIsIdle(info, last) && info
      }, { timeoutMs: options.timeoutMs ?? 30000, intervalMs: 50, what: `${durable} on ${stream} to be idle` })
    } catch (err) {
      throw new Error(`${(err as Error).message} (last seen: ${seen})`, { cause: err })
    }
  } finally {
    if (typeof connection === 'string') await nc.close()
  }
}

