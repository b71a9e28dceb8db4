// The AsyncAPI 3 document other teams read: every subject, every event version with its JSON Schema, the
// envelope, which service produces it and which stream holds it. Generated from the contracts, so it cannot
// drift from what the services check; committed (asyncapi.json) and served by each producing service.
import { CATALOG } from '../catalog.js'
import type { EventContract } from '../envelope.js'
import { STREAMS, type StreamDeclaration } from '../streams.js'
import { subscriberSchema, type JsonSchema } from './json-schema.js'

const key = (c: Pick<EventContract, 'type' | 'version'>): string => `${c.type}.v${c.version}`

function streamOf (type: string): StreamDeclaration | undefined {
  return STREAMS.find((d) => d.subjects.some((s) => s.endsWith('.>') ? type.startsWith(s.slice(0, -1)) : s === type))
}

export interface AsyncApiOptions {
  /** Only the events this service produces (what it serves); all when left out. */
  producer?: string
  version?: string
}

export function asyncApiDocument (options: AsyncApiOptions = {}): JsonSchema {
  const contracts = CATALOG.filter((c) => options.producer === undefined || c.producer === options.producer)
    .slice().sort((x, y) => key(x).localeCompare(key(y)))
  const channels: Record<string, unknown> = {}
  const operations: Record<string, unknown> = {}
  const messages: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  for (const c of contracts) {
    const k = key(c)
    const stream = streamOf(c.type)
    schemas[k] = subscriberSchema(c)
    messages[k] = {
      name: k,
      title: `${c.type} (version ${c.version})`,
      summary: c.description,
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/NatsHeaders' },
      payload: { $ref: `#/components/schemas/${k}` },
      'x-producer': c.producer
    }
    channels[k] = {
      address: `{prefix}.${k}`,
      title: k,
      description: `${c.description}${stream === undefined ? '' : ` Held in the stream <PREFIX>_${stream.name}.`}`,
      parameters: { prefix: { $ref: '#/components/parameters/prefix' } },
      messages: { [k]: { $ref: `#/components/messages/${k}` } },
      'x-stream': stream?.name ?? null
    }
    operations[`${c.producer}.publish.${k}`] = {
      action: 'send',
      title: `${c.producer} publishes ${k}`,
      channel: { $ref: `#/channels/${k}` },
      messages: [{ $ref: `#/channels/${k}/messages/${k}` }],
      'x-producer': c.producer
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.producer === undefined ? 'DreamSeed events' : `DreamSeed events produced by ${options.producer}`,
      version: options.version ?? '1.0.0',
      description: 'Events of the DreamSeed platform on NATS JetStream. Each subject is <prefix>.<type>.v<version>; every event is a JSON envelope {id, type, version, occurredAt, producer, requestId?, data}. Within a version a contract only gains optional fields: subscribers must ignore fields they do not know. A breaking change is a new version published beside the old one while subscribers move. The event id is also the Nats-Msg-Id header: a redelivered or republished event has the same id, so subscribers deduplicate on it.'
    },
    defaultContentType: 'application/json',
    servers: {
      production: { host: 'nats.dreamseed.svc:4222', protocol: 'nats', description: 'NATS with JetStream; streams: ' + STREAMS.map((s) => `<PREFIX>_${s.name} (${s.subjects.join(', ')})`).join('; ') }
    },
    channels,
    operations,
    components: {
      parameters: { prefix: { description: 'The deployment\'s EVENTS_PREFIX', default: 'dreamseed', examples: ['dreamseed'] } },
      schemas: {
        NatsHeaders: { type: 'object', properties: { 'Nats-Msg-Id': { type: 'string', description: 'the event id (deduplication)' }, 'x-request-id': { type: 'string' } } },
        ...schemas
      },
      messages
    }
  }
}
