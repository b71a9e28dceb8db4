// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import type { Redis } from 'ioredis'
import type { AccessTokenSigner } from './signing-key.js'
import type { LoginThrottle } from './login-throttle.js'

export interface SessionSettings {
  idleTimeoutSeconds: number
  absoluteTimeoutSeconds: number
}

export interface InvitationSettings {
  ttlHours: number
  resendIntervalSeconds: number
  maxPending: number
}

export interface AuthDeps {
  db: PostgresJsDatabase<Record<string, unknown>>
  redis: Redis
  signer: AccessTokenSigner
  sessions: SessionSettings
  sealKey: Buffer
  verificationTtlHours: number
  resendIntervalSeconds: number
  passwordResetTtlMinutes: number
  passwordResetIntervalSeconds: number
  invitations: InvitationSettings
  hashPassword: (password: string) => Promise<string>
  /** Verified when an account does not exist, so a wrong address costs what a wrong password does. */
  dummyHash: string
  now: () => Date
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
  /** Called when a revocation could not reach Redis (the database still holds it). */
  revocationFailed: (err: unknown) => void
  /** Failed-login counting (login-throttle.ts). */
  loginThrottle: LoginThrottle
}

export interface RequestMeta {
  requestId?: string
}
