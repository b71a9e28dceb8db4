// Who may do what on NATS, declared once. A service publishes only the events of the contracts it produces
// (the subjects of the streams holding them), files dead letters only for its own durable consumers, and
// runs only those consumers; a read-only user lets other teams consume any event with consumers of their
// own; an admin manages streams and dead letters. Nobody but the producer can publish an event, so a forged
// user.registration.repeated no longer reaches the mailer. natsAuthorizationConfig renders it all as
// nats-server's `authorization { users = [...] }` block (`pnpm --filter @dreamseed/events run nats:config`).
import { CATALOG } from './catalog.js'
import { deadLetterSubject, replaySubject } from './dead-letters.js'
import { STREAMS, streamFor, streamName, type StreamDeclaration } from './streams.js'

export const PLATFORM_SERVICES = ['auth', 'exam', 'analytics', 'notification'] as const
export type PlatformService = typeof PLATFORM_SERVICES[number]
/** Every NATS user: one per service, the read-only one other teams' subscribers use, and the admin. */
export const NATS_USERS = [...PLATFORM_SERVICES, 'subscriber', 'admin'] as const
export type NatsUser = typeof NATS_USERS[number]

export interface DurableConsumerDeclaration {
  /** The consumer's name on its stream; its replays come through `<durable>-replay` on REPLAYS. */
  durable: string
  /** The stream it reads, by declaration name (USERS, not DREAMSEED_USERS). */
  stream: string
}

/**
 * What each service reads. `consumers`: the durable consumers it runs (the services take their names from
 * here). `reads`: streams it may also read through consumers it names as it goes (analytics' rebuild
 * replays them with ordered consumers), never touching another service's durable.
 */
export const SERVICE_ACCESS = {
  auth: { consumers: {}, reads: [] },
  exam: {
    consumers: {
      classrooms: { durable: 'exam-classrooms', stream: 'ORGANIZATIONS' },
      accommodations: { durable: 'exam-accommodations', stream: 'USERS' },
      promotions: { durable: 'exam-promotions', stream: 'ANALYTICS' }
    },
    reads: []
  },
  analytics: {
    consumers: {
      users: { durable: 'analytics-users', stream: 'USERS' },
      organizations: { durable: 'analytics-organizations', stream: 'ORGANIZATIONS' },
      exams: { durable: 'analytics-exams', stream: 'EXAMS' }
    },
    reads: ['USERS', 'ORGANIZATIONS', 'EXAMS']
  },
  notification: {
    consumers: {
      mailer: { durable: 'notification-mailer', stream: 'USERS' }
    },
    reads: []
  }
} as const satisfies Record<PlatformService, { consumers: Record<string, DurableConsumerDeclaration>, reads: readonly string[] }>

export interface NatsPermissions {
  publish: { allow: string[], deny: string[] }
  subscribe: { allow: string[] }
}

const declaration = (name: string): StreamDeclaration => {
  const found = STREAMS.find((s) => s.name === name)
  if (found === undefined) throw new Error(`no stream ${name} is declared`)
  return found
}

/** The contracts whose events a stream holds (streamFor decides, as it does for publishing). */
const contractsIn = (stream: StreamDeclaration): typeof CATALOG => CATALOG.filter((c) => streamFor('p', c.type) === streamName('p', stream))

/** The streams a service's contracts are published to; each belongs to exactly one producer. */
export function producedStreams (service: string): StreamDeclaration[] {
  return STREAMS.filter((stream) => {
    const producers = new Set(contractsIn(stream).map((c) => c.producer))
    if (producers.size > 1) throw new Error(`stream ${stream.name} holds events of ${[...producers].join(' and ')}: publish rights need one producer per stream`)
    return producers.has(service)
  })
}

/** Streams holding events (not dead letters or replays): what the read-only user may consume. */
const eventStreams = (): StreamDeclaration[] => STREAMS.filter((stream) => contractsIn(stream).length > 0)

/** Every durable consumer the platform runs, with its service. */
export const declaredConsumers = (): Array<DurableConsumerDeclaration & { service: PlatformService }> =>
  PLATFORM_SERVICES.flatMap((service) => Object.values(SERVICE_ACCESS[service].consumers as Record<string, DurableConsumerDeclaration>).map((c) => ({ ...c, service })))

/** The API calls that run one consumer: create or update it, look it up, pull from it, and acknowledge. */
const consumerCalls = (stream: string, consumer: string): string[] => [
  `$JS.API.CONSUMER.INFO.${stream}.${consumer}`,
  `$JS.API.CONSUMER.CREATE.${stream}.${consumer}`,
  // With a filter subject the create request names it after the consumer (nats-server 2.9 and later).
  `$JS.API.CONSUMER.CREATE.${stream}.${consumer}.>`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${consumer}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
  `$JS.ACK.${stream}.${consumer}.>`
]

/** Every call on a consumer of this name, for keeping others off it. */
const anyCallOn = (stream: string, consumer: string): string[] => [
  `$JS.API.CONSUMER.*.${stream}.${consumer}`,
  `$JS.API.CONSUMER.CREATE.${stream}.${consumer}.>`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${consumer}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
  `$JS.ACK.${stream}.${consumer}.>`
]

/** Reading a stream through consumers of one's own naming: any name but the platform's durables. */
function reading (prefix: string, names: readonly string[], own: readonly string[]): NatsPermissions {
  const allow: string[] = []
  const deny: string[] = []
  for (const name of names) {
    const stream = streamName(prefix, declaration(name))
    allow.push(`$JS.API.STREAM.INFO.${stream}`, ...consumerCalls(stream, '*'), `$JS.API.CONSUMER.DELETE.${stream}.*`)
    for (const c of declaredConsumers()) if (c.stream === name && !own.includes(c.durable)) deny.push(...anyCallOn(stream, c.durable))
  }
  return { publish: { allow, deny }, subscribe: { allow: [] } }
}

function servicePermissions (prefix: string, service: PlatformService): NatsPermissions {
  const allow = producedStreams(service).flatMap((s) => s.subjects.map((subject) => `${prefix}.${subject}`))
  const subscribe: string[] = []
  const replays = streamName(prefix, declaration('REPLAYS'))
  const consumers = Object.values(SERVICE_ACCESS[service].consumers as Record<string, DurableConsumerDeclaration>)
  const reads: readonly string[] = SERVICE_ACCESS[service].reads
  for (const { durable, stream: name } of consumers) {
    const stream = streamName(prefix, declaration(name))
    allow.push(
      // Reading the whole stream already covers the durable's calls.
      ...(reads.includes(name) ? [] : consumerCalls(stream, durable)),
      ...consumerCalls(replays, `${durable}-replay`),
      // The dead-letter watcher copies the event a max-deliveries advisory names, then files it.
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
      deadLetterSubject(prefix, durable)
    )
    subscribe.push(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durable}`)
  }
  const wholesale = reading(prefix, reads, consumers.map((c) => c.durable))
  return { publish: { allow: [...new Set([...allow, ...wholesale.publish.allow])], deny: wholesale.publish.deny }, subscribe: { allow: subscribe } }
}

/** Each user's permissions under an EVENTS_PREFIX. Everyone may ask for JetStream's account info and get replies. */
export function natsPermissions (prefix: string): Record<NatsUser, NatsPermissions> {
  const out = {} as Record<NatsUser, NatsPermissions>
  for (const service of PLATFORM_SERVICES) out[service] = servicePermissions(prefix, service)
  out.subscriber = reading(prefix, eventStreams().map((s) => s.name), [])
  // Stream management and the dead-letters CLI (which replays through REPLAYS); still no event subject.
  out.admin = { publish: { allow: ['$JS.API.>', replaySubject(prefix, '>')], deny: [] }, subscribe: { allow: [] } }
  for (const user of NATS_USERS) {
    const p = out[user]
    if (!p.publish.allow.includes('$JS.API.>')) p.publish.allow.unshift('$JS.API.INFO')
    p.subscribe.allow.unshift('_INBOX.>')
  }
  return out
}

/** A password, or `{ env: NAME }` for a server that reads it from its own environment. */
export type NatsPassword = string | { env: string }

export interface NatsUserEntry {
  user: NatsUser
  password: NatsPassword
  permissions: NatsPermissions
}

export function natsUsers (prefix: string, passwords: Record<NatsUser, NatsPassword>): NatsUserEntry[] {
  const permissions = natsPermissions(prefix)
  return NATS_USERS.map((user) => {
    const password = passwords[user]
    if (password === undefined || password === '') throw new Error(`no NATS password for ${user}`)
    return { user, password, permissions: permissions[user] }
  })
}

/** The environment variable the nats:config CLI (and the NATS chart's pods) read a user's password from. */
export const natsPasswordVariable = (user: NatsUser): string => `NATS_PASSWORD_${user.toUpperCase()}`

/** A deny list only where there is one, so the rendered block reads as what each user may do. */
const permissionsBlock = (p: NatsPermissions): object => ({
  publish: p.publish.deny.length > 0 ? { allow: p.publish.allow, deny: p.publish.deny } : { allow: p.publish.allow },
  subscribe: p.subscribe
})

/**
 * nats-server's authorization block, for EVENTS_PREFIX `prefix` (nats-server's format takes JSON values).
 * The passwords are in plain text: the file must be readable by the server alone (or give `{ env }`).
 */
export function natsAuthorizationConfig (prefix: string, passwords: Record<NatsUser, NatsPassword>): string {
  const users = natsUsers(prefix, passwords).map((u) => {
    const password = typeof u.password === 'string' ? JSON.stringify(u.password) : `$${u.password.env}`
    const permissions = JSON.stringify(permissionsBlock(u.permissions), null, 2).replace(/\n/g, '\n      ')
    return `    {\n      user: ${JSON.stringify(u.user)}\n      password: ${password}\n      permissions: ${permissions}\n    }`
  })
  return `authorization {\n  users = [\n${users.join('\n')}\n  ]\n}\n`
}

/**
 * The same block as values for the official NATS Helm chart (config.merge): each password is the chart's
 * `<< $NATS_PASSWORD_<USER> >>`, a variable the NATS pods get from a Secret.
 */
export function natsHelmValues (prefix: string): object {
  const passwords = Object.fromEntries(NATS_USERS.map((u) => [u, `<< $${natsPasswordVariable(u)} >>`])) as Record<NatsUser, string>
  return { config: { merge: { authorization: { users: natsUsers(prefix, passwords).map((u) => ({ user: u.user, password: u.password, permissions: permissionsBlock(u.permissions) })) } } } }
}
