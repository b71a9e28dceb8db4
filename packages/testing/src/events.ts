// Each test gets its own event namespace (subjects and stream names), created before and deleted after.
import { randomBytes } from 'node:crypto'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { applyStreams } from '@dreamseed/events'

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

interface Teardown { teardown: (fn: () => unknown) => void }

export function testPrefix (): string {
  return `t${randomBytes(5).toString('hex')}`
}

export async function createTestStreams (t: Teardown, natsUrl = NATS_URL, prefix = testPrefix()): Promise<string> {
  const nc = await connect({ servers: natsUrl })
  try {
    const created = await applyStreams(await jetstreamManager(nc), prefix)
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
