// The one way to put an event on JetStream: its id is the Nats-Msg-Id, so publishing the same outbox row
// twice (a relay that crashed after the ack) is dropped by the stream's duplicate window.
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node'
import { jetstream, type JetStreamClient, type PubAck } from '@nats-io/jetstream'
import type { Envelope } from './envelope.js'

export const subjectOf = (prefix: string, type: string, version: number): string => `${prefix}.${type}.v${version}`

// One JetStream client per connection: building one is a good part of a publish's own CPU (a relay publishes
// every event through here), and it holds nothing a publish changes. Keyed weakly, so a closed connection and
// its client go together.
const clients = new WeakMap<NatsConnection, JetStreamClient>()
function clientOf (nc: NatsConnection): JetStreamClient {
  let js = clients.get(nc)
  if (js === undefined) clients.set(nc, js = jetstream(nc))
  return js
}

export async function publishEnvelope (nc: NatsConnection, prefix: string, envelope: Envelope, timeoutMs = 5000): Promise<PubAck> {
  const h = natsHeaders()
  h.set('Nats-Msg-Id', envelope.id)
  h.set('Ds-Type', envelope.type)
  h.set('Ds-Version', String(envelope.version))
  if (envelope.requestId !== undefined) h.set('Ds-Request-Id', envelope.requestId)
  return await clientOf(nc).publish(subjectOf(prefix, envelope.type, envelope.version), JSON.stringify(envelope), { msgID: envelope.id, headers: h, timeout: timeoutMs })
}
