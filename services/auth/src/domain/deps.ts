// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { Redis } from 'ioredis'
import type { ClientInfo } from '../repositories/audit-repository.js'
import type { Repositories } from '../repositories/index.js'
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
  /** auth's repositories on the pool; `repos.transaction` binds them to a transaction. */
  repos: Repositories
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

/** What a use case needs to know about the request it serves: its id (carried into events) and the client (written into the audit log). */
export type RequestContext = RequestMeta & { client: ClientInfo }

export type { ClientInfo }
