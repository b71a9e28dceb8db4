// Slows password guessing without handing anyone a way to lock a person out. Failed logins are counted in
// Redis per account (its normalized address, whether an account has it or not, so the throttle tells nothing
// about existence) and per client address. Past a free allowance every further failure doubles the wait before
// the next attempt (1 s, 2 s, 4 s … capped); an attempt during the wait is refused at once, before any password
// is checked, and does not extend it. Counts start over when their window ends, a right password clears the
// account's count, and a password reset never consults any of this. With Redis down, login goes on unthrottled
// (the caller logs and counts it): a cache outage must not stop a school from signing in.
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { normalizeIP } from '@fastify/rate-limit'
import { RateLimitedError } from '@dreamseed/kit'

export interface LoginThrottleSettings {
  /** Namespace of the Redis keys (the events prefix: each test app has its own). */
  keyPrefix: string
  accountFreeFailures: number
  ipFreeFailures: number
  baseDelaySeconds: number
  maxDelaySeconds: number
  windowSeconds: number
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

export class LoginDelayedError extends RateLimitedError {
  constructor (retryAfterSeconds: number) {
    super(retryAfterSeconds, 'AUTH_LOGIN_DELAYED', 'Too many failed sign-ins: wait before trying again (see Retry-After), or reset your password')
  }
}

/** What the login does once it knows whether the password was right. */
export interface LoginAttempt {
  settle: (passwordRight: boolean) => Promise<void>
  /** Takes back the count of an attempt that could not be checked (the database was down): not a failure. */
  abandon: () => Promise<void>
}

// Counts a failure in the hash at `key`: n failures, and `next`, the time (ms) before which no attempt is let in.
// The window runs from the first failure; it is stretched only when a wait would outlast it.
const COUNT = `
local function count(key, free, now, baseMs, maxMs, windowMs)
  local n = redis.call('HINCRBY', key, 'n', 1)
  if n == 1 then redis.call('PEXPIRE', key, windowMs) end
  if n > free then
    local delay = math.min(baseMs * 2 ^ math.min(n - free - 1, 40), maxMs)
    local nextAt = math.max(tonumber(redis.call('HGET', key, 'next') or 0), now + delay)
    redis.call('HSET', key, 'next', string.format('%d', nextAt))
    if redis.call('PTTL', key) < nextAt - now then redis.call('PEXPIRE', key, nextAt - now) end
  end
end
`

// KEYS: account, address. ARGV: now, account allowance, base, cap, window (ms). Returns the wait (ms) or 0.
// The attempt is counted against the account before the password is checked, so a burst of parallel guesses
// cannot all slip in before the first failure is written; a right password clears the count afterwards.
const BEGIN = `${COUNT}
local now = tonumber(ARGV[1])
local nextAt = math.max(tonumber(redis.call('HGET', KEYS[1], 'next') or 0), tonumber(redis.call('HGET', KEYS[2], 'next') or 0))
if nextAt > now then return nextAt - now end
count(KEYS[1], tonumber(ARGV[2]), now, tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
return 0
`

// KEYS: address. ARGV: now, address allowance, base, cap, window (ms).
const FAIL = `${COUNT}
count(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
return 0
`

// KEYS: account. ARGV: account allowance. Undoes BEGIN's count; below the allowance no wait is left.
const ABANDON = `
local n = redis.call('HINCRBY', KEYS[1], 'n', -1)
if n <= 0 then redis.call('DEL', KEYS[1]) elseif n <= tonumber(ARGV[1]) then redis.call('HDEL', KEYS[1], 'next') end
return n
`

interface ThrottleCommands {
  dreamseedLoginBegin: (account: string, address: string, ...args: number[]) => Promise<number>
  dreamseedLoginFail: (address: string, ...args: number[]) => Promise<number>
  dreamseedLoginAbandon: (account: string, free: number) => Promise<number>
}

function commands (redis: Redis): ThrottleCommands {
  const r = redis as Redis & Partial<ThrottleCommands>
  if (r.dreamseedLoginBegin === undefined) redis.defineCommand('dreamseedLoginBegin', { numberOfKeys: 2, lua: BEGIN })
  if (r.dreamseedLoginFail === undefined) redis.defineCommand('dreamseedLoginFail', { numberOfKeys: 1, lua: FAIL })
  if (r.dreamseedLoginAbandon === undefined) redis.defineCommand('dreamseedLoginAbandon', { numberOfKeys: 1, lua: ABANDON })
  return redis as unknown as ThrottleCommands
}

// Addresses are hashed so Redis holds no list of them; IPv6 clients count by /64, as the rate limiter does.
const accountKey = (keyPrefix: string, email: string): string => `${keyPrefix}:auth:login-failures:account:${createHash('sha256').update(email).digest('base64url')}`
const addressKey = (keyPrefix: string, ip: string): string => `${keyPrefix}:auth:login-failures:ip:${normalizeIP(ip)}`

/** The Redis keys holding an account's and an address's failures. */
export function loginThrottleKeys (keyPrefix: string, email: string, ip: string): { account: string, address: string } {
  return { account: accountKey(keyPrefix, email), address: addressKey(keyPrefix, ip) }
}

const NOTHING: LoginAttempt = { settle: async () => {}, abandon: async () => {} }

/** Lets a login attempt in, or refuses it with 429 AUTH_LOGIN_DELAYED while the account or the address must wait. */
export async function beginLoginAttempt (deps: ThrottleDeps, email: string, ip: string): Promise<LoginAttempt> {
  const t = deps.loginThrottle
  const keys = loginThrottleKeys(t.keyPrefix, email, ip)
  const limits = (free: number): number[] => [deps.now().getTime(), free, t.baseDelaySeconds * 1000, t.maxDelaySeconds * 1000, t.windowSeconds * 1000]
  let waitMs: number
  try {
    waitMs = Number(await commands(deps.redis).dreamseedLoginBegin(keys.account, keys.address, ...limits(t.accountFreeFailures)))
  } catch (err) {
    t.unavailable(err)
    return NOTHING
  }
  if (waitMs > 0) throw new LoginDelayedError(waitMs / 1000)
  return {
    settle: async (passwordRight) => {
      try {
        if (passwordRight) await deps.redis.del(keys.account)
        else await commands(deps.redis).dreamseedLoginFail(keys.address, ...limits(t.ipFreeFailures))
      } catch (err) {
        t.unavailable(err)
      }
    },
    abandon: async () => {
      try {
        await commands(deps.redis).dreamseedLoginAbandon(keys.account, t.accountFreeFailures)
      } catch (err) {
        t.unavailable(err)
      }
    }
  }
}

/** Forgets an account's failed logins (for a completed password reset, which proves the owner is back). */
export async function clearLoginFailures (deps: ThrottleDeps, email: string): Promise<void> {
  try {
    await deps.redis.del(accountKey(deps.loginThrottle.keyPrefix, email))
  } catch (err) {
    deps.loginThrottle.unavailable(err)
  }
}
