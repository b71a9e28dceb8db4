// How the events CLIs (streams:apply, dead-letters) connect: the servers of NATS_URL, as the NATS user given
// (the admin, for stream management), or without credentials when none is (a development server). The
// services connect through @dreamseed/kit's natsConnectOptions, which applies the same rule to their settings.
import { connect, type NatsConnection } from '@nats-io/transport-node'

export interface NatsConnectSettings {
  servers?: string | undefined
  name: string
  user?: string | undefined
  password?: string | undefined
}

export async function connectNats (settings: NatsConnectSettings): Promise<NatsConnection> {
  const servers = (settings.servers ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim()).filter((s) => s !== '')
  const user = settings.user ?? ''
  if (user === '') return await connect({ servers, name: settings.name })
  if ((settings.password ?? '') === '') throw new Error(`NATS_PASSWORD is needed with NATS_USER=${user}`)
  return await connect({ servers, name: settings.name, user, pass: settings.password })
}
