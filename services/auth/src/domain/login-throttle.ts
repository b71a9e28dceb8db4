// Slows password guessing without handing a stranger a way to keep the owner out. Failed logins are counted in
// Redis per account and client address together, per account from every address together, and per client
// address; an account is its normalized address, whether an account has it or not, so the throttle tells
// nothing about existence. Past a counter's free allowance every further failure doubles the wait before the
// next attempt it covers (1 s, 2 s, 4 s … capped); an attempt during a wait is refused at once, before any
// password is checked, and does not extend it.
//
// The small allowance (LOGIN_THROTTLE_FREE_FAILURES) is per (account, client address): someone guessing from
// one address makes only that address wait for that account, and the owner signing in from their own address
// is not delayed by them. The account's count over every address has a separate, larger allowance
// (LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES), above what one address can reach in a window, so it only stops a
// guesser spread over many addresses (and then delays everyone, owner included, until the waits end or a
// password reset clears them). The client address's own count (LOGIN_THROTTLE_IP_FREE_FAILURES) stops one
// address trying many accounts.
//
// Counts start over when their window ends, a right password clears its (account, address) count, and a
// password reset clears every count of the account and never consults any of this. With Redis down, login
// goes on unthrottled (the caller logs and counts it): a cache outage must not stop a school from signing in.
import type { Redis } from 'ioredis'
import { createLoginFailuresRepository, type FailureLimits } from '../repositories/login-failures-repository.js'
import { LoginDelayedError } from '../errors.js'

export interface LoginThrottleSettings extends FailureLimits {
  /** Namespace of the Redis keys (the events prefix: each test app has its own). */
  keyPrefix: string
}

export interface LoginThrottle extends LoginThrottleSettings {
  /** Redis could not be reached; the attempt goes on unthrottled. */
  unavailable: (err: unknown) => void
}

interface ThrottleDeps {
  redis: Redis
  now: () => Date
  loginThrottle: LoginThrottle
}

/** What the login does once it knows whether the password was right. */
export interface LoginAttempt {
  settle: (passwordRight: boolean) => Promise<void>
  /** Takes back the count of an attempt that could not be checked (the database was down): not a failure. */
  abandon: () => Promise<void>
}

const NOTHING: LoginAttempt = { settle: async () => {}, abandon: async () => {} }

/** Lets a login attempt in, or refuses it with 429 AUTH_LOGIN_DELAYED while the pair, the account or the address must wait. */
export async function beginLoginAttempt (deps: ThrottleDeps, email: string, ip: string): Promise<LoginAttempt> {
  const t = deps.loginThrottle
  const failures = createLoginFailuresRepository(deps.redis, t.keyPrefix)
  const unlessUnavailable = async (step: () => Promise<void>): Promise<void> => {
    try { await step() } catch (err) { t.unavailable(err) }
  }
  let begun: Awaited<ReturnType<typeof failures.begin>>
  try {
    begun = await failures.begin(email, ip, deps.now(), t)
  } catch (err) {
    t.unavailable(err)
    return NOTHING
  }
  if ('waitMs' in begun) throw new LoginDelayedError(begun.waitMs / 1000)
  const counted = begun
  return {
    settle: async (passwordRight) => await unlessUnavailable(async () => {
      if (passwordRight) await failures.succeed(email, ip, counted, t)
      else await failures.fail(ip, deps.now(), t)
    }),
    abandon: async () => await unlessUnavailable(async () => { await failures.abandon(email, ip, counted, t) })
  }
}

/** Forgets every failed login of an account, from every address (a completed password reset: the owner is back). */
export async function clearLoginFailures (deps: ThrottleDeps, email: string): Promise<void> {
  try {
    await createLoginFailuresRepository(deps.redis, deps.loginThrottle.keyPrefix).clear(email)
  } catch (err) {
    deps.loginThrottle.unavailable(err)
  }
}
