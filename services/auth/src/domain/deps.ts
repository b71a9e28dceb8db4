// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'

export interface AuthDeps {
  db: PostgresJsDatabase<Record<string, unknown>>
  sealKey: Buffer
  verificationTtlHours: number
  resendIntervalSeconds: number
  hashPassword: (password: string) => Promise<string>
  now: () => Date
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
}

export interface RequestMeta {
  requestId?: string
}
