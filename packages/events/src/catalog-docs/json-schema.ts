// The JSON Schema a subscriber validates an event with: the contract's envelope as plain JSON Schema, with
// every object left open to properties it does not name. Producers check strictly (an event that breaks
// its contract never leaves the outbox); subscribers must accept the optional fields a version may gain.
import type { EventContract } from '../envelope.js'

export type JsonSchema = Record<string, unknown>

const SCHEMA_URL = 'https://dreamseed.dev/events/schemas/'

function open (node: unknown): unknown {
  if (Array.isArray(node)) return node.map(open)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(node).sort()) {
    if (key === 'additionalProperties' || key === '$id') continue
    out[key] = open((node as Record<string, unknown>)[key])
  }
  return out
}

export const schemaFileName = (contract: Pick<EventContract, 'type' | 'version'>): string => `${contract.type}.v${contract.version}.json`

/** A contract as a standalone JSON Schema (draft 2020-12) document for subscribers. */
export function subscriberSchema (contract: EventContract): JsonSchema {
  // JSON round trip drops TypeBox's symbol-keyed bookkeeping.
  const plain = JSON.parse(JSON.stringify(contract.envelope)) as JsonSchema
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_URL}${schemaFileName(contract)}`,
    title: `${contract.type} v${contract.version}`,
    description: contract.description,
    'x-producer': contract.producer,
    ...(open(plain) as JsonSchema)
  }
}
