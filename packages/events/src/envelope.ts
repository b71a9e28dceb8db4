// The envelope every event travels in, and the way a contract is declared: a type, a version, the service
// that produces it, and a TypeBox schema for its data. Subjects carry the version, so a breaking change is
// a new subject published beside the old one while subscribers move.
import { Type, type Static, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

export const EnvelopeBase = {
  id: Type.String({ format: 'uuid', description: 'UUIDv7; also the Nats-Msg-Id, so a republished event is dropped as a duplicate' }),
  type: Type.String({ description: 'dotted event type, e.g. user.created' }),
  version: Type.Integer({ minimum: 1 }),
  occurredAt: Type.String({ format: 'date-time' }),
  producer: Type.String({ description: 'the service that produced the event' }),
  requestId: Type.Optional(Type.String({ description: 'the HTTP request id that caused the event, for tracing' }))
}

export interface Envelope<T = unknown> {
  id: string
  type: string
  version: number
  occurredAt: string
  producer: string
  requestId?: string
  data: T
}

export interface EventContract<S extends TSchema = TSchema> {
  type: string
  version: number
  producer: string
  description: string
  data: S
  envelope: TSchema
  /** The subject under a namespace prefix: `<prefix>.<type>.v<version>`. */
  subject: (prefix: string) => string
  /** Checks a decoded envelope against this contract; returns the problems, empty when valid. */
  check: (value: unknown) => string[]
}

export type DataOf<C> = C extends EventContract<infer S> ? Static<S> : never

export function defineEvent<S extends TSchema> (spec: { type: string, version: number, producer: string, description: string, data: S }): EventContract<S> {
  const envelope = Type.Object({
    ...EnvelopeBase,
    type: Type.Literal(spec.type),
    version: Type.Literal(spec.version),
    data: spec.data
  }, { additionalProperties: false, $id: `${spec.type}.v${spec.version}` })
  const validator = Compile(envelope)
  return {
    ...spec,
    envelope,
    subject: (prefix) => `${prefix}.${spec.type}.v${spec.version}`,
    check: (value) => validator.Check(value) ? [] : validator.Errors(value).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`)
  }
}
