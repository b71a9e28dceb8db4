// Each test gets its own event namespace (subjects and stream names), created before and deleted after.
import { randomBytes } from 'node:crypto'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream'

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

interface Teardown { teardown: (fn: () => unknown) => void }

export function testPrefix (): string {
  return `t${randomBytes(5).toString('hex')}`
}

/** `apply` is @dreamseed/events' applyStreams, passed in so this package depends on no other of ours. */
export type ApplyStreams = (jsm: JetStreamManager, prefix: string, options: { maxBytes: number }) => Promise<Array<{ name: string }>>

export async function createTestStreams (t: Teardown, apply: ApplyStreams, natsUrl = NATS_URL, prefix = testPrefix()): Promise<string> {
  const nc = await connect({ servers: natsUrl })
  try {
    // Small streams: JetStream reserves each stream's size limit, and many test files run at once.
    const created = await apply(await jetstreamManager(nc), prefix, { maxBytes: 32 * 1024 * 1024 })
    t.teardown(async () => {
      const nc2 = await connect({ servers: natsUrl }).catch(() => undefined)
      if (nc2 === undefined) return
      try {
        const jsm = await jetstreamManager(nc2)
        for (const s of created) await jsm.streams.delete(s.name).catch(() => {})
      } finally { await nc2.close() }
    })
  } finally {
    await nc.close()
  }
  return prefix
}
