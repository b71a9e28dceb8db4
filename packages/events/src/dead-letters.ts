// Dead letters: an event a consumer rejects as permanently bad, or that exhausts its deliveries, is copied
// with the consumer, the reason and its original stream sequence to the DEADLETTERS stream, and only then
// acknowledged, so nothing is dropped silently. `pnpm dead-letters` lists, shows, replays (to the one
// consumer that failed it, through the REPLAYS stream) and discards them.
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node'
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream'
import { streamFor } from './streams.js'

export interface DeadLetterInput {
  stream: string
  consumer: string
  streamSequence: number
  subject: string
  reason: string
  deliveries: number
  data: Uint8Array
}

export interface DeadLetter extends DeadLetterInput {
  /** Sequence in the DEADLETTERS stream: what the command takes. */
  seq: number
  at: string
}

const H = { stream: 'Ds-Dead-Stream', consumer: 'Ds-Dead-Consumer', seq: 'Ds-Dead-Sequence', subject: 'Ds-Dead-Subject', reason: 'Ds-Dead-Reason', deliveries: 'Ds-Dead-Deliveries', at: 'Ds-Dead-At' }

export const deadLetterSubject = (prefix: string, consumer: string): string => `${prefix}.deadletter.${consumer}`
export const replaySubject = (prefix: string, consumer: string): string => `${prefix}.replay.${consumer}`

/** Files a dead letter; the same (stream, sequence, consumer) filed twice is kept once. */
export async function publishDeadLetter (nc: NatsConnection, prefix: string, letter: DeadLetterInput): Promise<void> {
  const h = natsHeaders()
  h.set(H.stream, letter.stream)
  h.set(H.consumer, letter.consumer)
  h.set(H.seq, String(letter.streamSequence))
  h.set(H.subject, letter.subject)
  // Header values are one line; reasons come from handlers and error messages.
  h.set(H.reason, letter.reason.replace(/[\r\n]+/g, ' ').slice(0, 1000))
  h.set(H.deliveries, String(letter.deliveries))
  h.set(H.at, new Date().toISOString())
  await jetstream(nc).publish(deadLetterSubject(prefix, letter.consumer), letter.data, { headers: h, msgID: `${letter.stream}:${letter.streamSequence}:${letter.consumer}`, timeout: 5000 })
}

const deadLetterStream = (prefix: string): string => streamFor(prefix, 'deadletter.any')

function letterOf (seq: number, h: MsgHdrs | undefined, data: Uint8Array): DeadLetter {
  const get = (k: string): string => h?.get(k) ?? ''
  return { seq, stream: get(H.stream), consumer: get(H.consumer), streamSequence: Number(get(H.seq)), subject: get(H.subject), reason: get(H.reason), deliveries: Number(get(H.deliveries)), at: get(H.at), data }
}

export interface DeadLetterStore {
  list: (options?: { consumer?: string, limit?: number }) => Promise<DeadLetter[]>
  get: (seq: number) => Promise<DeadLetter | undefined>
  /** Sends it back to its consumer alone, then removes it. */
  replay: (seq: number) => Promise<DeadLetter | undefined>
  discard: (seq: number) => Promise<boolean>
  count: () => Promise<number>
}

export async function deadLetters (nc: NatsConnection, prefix: string): Promise<DeadLetterStore> {
  const jsm: JetStreamManager = await jetstreamManager(nc)
  const stream = deadLetterStream(prefix)
  const get = async (seq: number): Promise<DeadLetter | undefined> => {
    try {
      const m = await jsm.streams.getMessage(stream, { seq })
      return m === null ? undefined : letterOf(m.seq, m.header, m.data)
    } catch (err) {
      if (/no message found|not found/i.test((err as Error).message)) return undefined
      throw err
    }
  }
  return {
    get,
    count: async () => (await jsm.streams.info(stream)).state.messages,
    list: async (options = {}) => {
      const limit = options.limit ?? 100
      const out: DeadLetter[] = []
      const { first_seq: first, last_seq: last } = (await jsm.streams.info(stream)).state
      // A stream that never held a message reports first_seq 0, and there is no message 0 to ask for.
      if (last === 0) return out
      if (options.consumer === undefined) {
        // Sequence by sequence: a wildcard next_by_subj lookup misses messages on nats-server 2.9 once the
        // stream's last message was deleted. Replayed and discarded letters leave gaps; they are skipped.
        for (let seq = first; seq <= last && out.length < limit; seq++) {
          const letter = await get(seq)
          if (letter !== undefined) out.push(letter)
        }
        return out
      }
      let seq = first
      while (out.length < limit && seq <= last) {
        let m
        try {
          // STREAM.MSG.GET's next_by_subj (nats-server 2.9): the first message at or after seq on the subject.
          m = await jsm.streams.getMessage(stream, { seq, next_by_subj: deadLetterSubject(prefix, options.consumer) } as never)
        } catch (err) {
          if (/no message found|not found/i.test((err as Error).message)) break
          throw err
        }
        if (m === null) break
        out.push(letterOf(m.seq, m.header, m.data))
        seq = m.seq + 1
      }
      return out
    },
    replay: async (seq) => {
      const letter = await get(seq)
      if (letter === undefined) return undefined
      const h = natsHeaders()
      h.set(H.subject, letter.subject)
      h.set(H.seq, String(letter.streamSequence))
      await jetstream(nc).publish(replaySubject(prefix, letter.consumer), letter.data, { headers: h, timeout: 5000 })
      await jsm.streams.deleteMessage(stream, seq, false)
      return letter
    },
    discard: async (seq) => {
      try {
        return await jsm.streams.deleteMessage(stream, seq, false)
      } catch (err) {
        if (/no message found|not found/i.test((err as Error).message)) return false
        throw err
      }
    }
  }
}
