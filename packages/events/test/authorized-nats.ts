// A private nats-server running the rendered authorization block (fresh generated passwords), its streams
// applied by the admin user, and connections as any of the users.
import { randomBytes } from 'node:crypto'
import type { NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream'
import { startPrivateNats, testPrefix } from '@dreamseed/testing'
import { NATS_USERS, applyStreams, connectNats, natsAuthorizationConfig, type NatsUser } from '../src/index.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface AuthorizedNats {
  url: string
  prefix: string
  passwords: Record<NatsUser, string>
  /** A connection as this user, closed when the test ends; permission errors it reports are collected. */
  as: (user: NatsUser) => Promise<NatsConnection & { violations: string[] }>
  /** The admin's JetStream manager (streams and consumers as they really are). */
  jsm: JetStreamManager
}

export async function startAuthorizedNats (t: Teardown): Promise<AuthorizedNats> {
  const prefix = testPrefix()
  const passwords = Object.fromEntries(NATS_USERS.map((u) => [u, randomBytes(18).toString('hex')])) as Record<NatsUser, string>
  const nats = await startPrivateNats(t, { config: natsAuthorizationConfig(prefix, passwords) })
  const as = async (user: NatsUser): Promise<NatsConnection & { violations: string[] }> => {
    const nc = await connectNats({ servers: nats.url, name: `test-${user}`, user, password: passwords[user] })
    const violations: string[] = []
    void (async () => { for await (const s of nc.status()) if (s.type === 'error') violations.push(String((s as { error?: Error }).error?.message)) })()
    t.teardown(async () => { await nc.close() })
    return Object.assign(nc, { violations })
  }
  const jsm = await jetstreamManager(await as('admin'))
  // Small streams: JetStream reserves each stream's size limit.
  await applyStreams(jsm, prefix, { maxBytes: 1024 * 1024 })
  return { url: nats.url, prefix, passwords, as, jsm }
}
