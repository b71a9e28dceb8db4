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
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { normalizeIP } from '@fastify/rate-limit'
import { LoginDelayedError } from '../errors.js'

export interface LoginThrottleSettings {
  /** Namespace of the Redis keys (the events prefix: each test app has its own). */
  keyPrefix: string
  /** Failures to one account from one client address before each further one makes that pair wait. */
  accountFreeFailures: number
  /** Failures to one account from every address together before each further one makes the account wait. */
  accountCapFreeFailures: number
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

/** What the login does once it knows whether the password was right. */
export interface LoginAttempt {
  settle: (passwordRight: boolean) => Promise<void>
  /** Takes back the count of an attempt that could not be checked (the database was down): not a failure. */
  abandon: () => Promise<void>
}

// A counter is three fields of a hash, named by a prefix: <c>n failures, <c>start (ms) when the first of them
// was counted, <c>next (ms) before which no attempt it covers is let in. It lives until its window has run from
// its first failure and no wait is left; the key's expiry covers its longest-lived counter. One hash per account
// holds the account's counter (prefix "") and one per client address that failed on it ("@<address>|"), so a
// password reset clears them all with one DEL.
const COUNTERS = `
local function read(key, c, now, windowMs)
  local v = redis.call('HMGET', key, c .. 'n', c .. 'start', c .. 'next')
  local n, start, nextAt = tonumber(v[1] or 0), tonumber(v[2] or 0), tonumber(v[3] or 0)
  if n > 0 and start + windowMs <= now and nextAt <= now then
    redis.call('HDEL', key, c .. 'n', c .. 'start', c .. 'next')
    return 0, 0, 0
  end
  return n, start, nextAt
end

local function count(key, c, free, now, baseMs, maxMs, windowMs)
  local n, start, nextAt = read(key, c, now, windowMs)
  n = n + 1
  if n == 1 then start = now end
  if n > free then
    local delay = math.min(baseMs * 2 ^ math.min(n - free - 1, 40), maxMs)
    nextAt = math.max(nextAt, now + delay)
    redis.call('HSET', key, c .. 'next', string.format('%d', nextAt))
  end
  redis.call('HSET', key, c .. 'n', n, c .. 'start', string.format('%d', start))
  local ends = math.max(start + windowMs, nextAt)
  if redis.call('PTTL', key) < ends - now then redis.call('PEXPIRE', key, string.format('%d', ends - now)) end
  return nextAt
end

-- Takes back one count: at or below the allowance no wait is left; above it, the wait this count set (setNext)
-- goes back to what it was (previousNext), unless a later failure has moved it since.
local function uncount(key, c, free, previousNext, setNext)
  local n = redis.call('HINCRBY', key, c .. 'n', -1)
  if n <= 0 then redis.call('HDEL', key, c .. 'n', c .. 'start', c .. 'next')
  elseif n <= free then redis.call('HDEL', key, c .. 'next')
  elseif tonumber(redis.call('HGET', key, c .. 'next') or 0) == setNext then
    if previousNext > 0 then redis.call('HSET', key, c .. 'next', string.format('%d', previousNext)) else redis.call('HDEL', key, c .. 'next') end
  end
end
`

// KEYS: account, address. ARGV: now, pair prefix, pair allowance, account allowance, base, cap, window (ms).
// Returns {wait (ms), 0, 0, 0, 0} when the attempt must wait, else {0, then the pair's and the account's `next`
// before and after this attempt was counted (ms), for SUCCEED and ABANDON to put back}. The attempt is counted against the pair and the account before the
// password is checked, so a burst of parallel guesses cannot all slip in before the first failure is written;
// a right password (or an attempt that could not be checked) takes the counts back afterwards.
const BEGIN = `${COUNTERS}
local now, pair, window = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[7])
local _, _, pairNext = read(KEYS[1], pair, now, window)
local _, _, accountNext = read(KEYS[1], '', now, window)
local _, _, addressNext = read(KEYS[2], '', now, window)
local nextAt = math.max(pairNext, accountNext, addressNext)
if nextAt > now then return {string.format('%d', nextAt - now), '0', '0', '0', '0'} end
local pairSet = count(KEYS[1], pair, tonumber(ARGV[3]), now, tonumber(ARGV[5]), tonumber(ARGV[6]), window)
local accountSet = count(KEYS[1], '', tonumber(ARGV[4]), now, tonumber(ARGV[5]), tonumber(ARGV[6]), window)
return {'0', string.format('%d', pairNext), string.format('%d', pairSet), string.format('%d', accountNext), string.format('%d', accountSet)}
`

// KEYS: address. ARGV: now, address allowance, base, cap, window (ms).
const FAIL = `${COUNTERS}
count(KEYS[1], '', tonumber(ARGV[2]), tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
return 0
`

// KEYS: account. ARGV: pair prefix, account allowance, the account's waits from BEGIN. The right password: the
// pair's failures are forgotten, and this attempt no longer counts against the account (other addresses'
// failures still do).
const SUCCEED = `${COUNTERS}
redis.call('HDEL', KEYS[1], ARGV[1] .. 'n', ARGV[1] .. 'start', ARGV[1] .. 'next')
uncount(KEYS[1], '', tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
return 0
`

// KEYS: account. ARGV: pair prefix, pair allowance, account allowance, the four waits from BEGIN. Undoes BEGIN's counts.
const ABANDON = `${COUNTERS}
uncount(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[5]))
uncount(KEYS[1], '', tonumber(ARGV[3]), tonumber(ARGV[6]), tonumber(ARGV[7]))
return 0
`

interface ThrottleCommands {
  dreamseedLoginBegin: (account: string, address: string, now: number, pair: string, ...args: number[]) => Promise<string[]>
  dreamseedLoginFail: (address: string, ...args: number[]) => Promise<number>
  dreamseedLoginSucceed: (account: string, pair: string, ...args: number[]) => Promise<number>
  dreamseedLoginAbandon: (account: string, pair: string, ...args: number[]) => Promise<number>
}

function commands (redis: Redis): ThrottleCommands {
  const r = redis as Redis & Partial<ThrottleCommands>
  if (r.dreamseedLoginBegin === undefined) redis.defineCommand('dreamseedLoginBegin', { numberOfKeys: 2, lua: BEGIN })
  if (r.dreamseedLoginFail === undefined) redis.defineCommand('dreamseedLoginFail', { numberOfKeys: 1, lua: FAIL })
  if (r.dreamseedLoginSucceed === undefined) redis.defineCommand('dreamseedLoginSucceed', { numberOfKeys: 1, lua: SUCCEED })
  if (r.dreamseedLoginAbandon === undefined) redis.defineCommand('dreamseedLoginAbandon', { numberOfKeys: 1, lua: ABANDON })
  return redis as unknown as ThrottleCommands
}

// Addresses are hashed so Redis holds no list of them; IPv6 clients count by /64, as the rate limiter does.
const accountKey = (keyPrefix: string, email: string): string => `${keyPrefix}:auth:login-failures:account:${createHash('sha256').update(email).digest('base64url')}`
const addressKey = (keyPrefix: string, ip: string): string => `${keyPrefix}:auth:login-failures:ip:${normalizeIP(ip)}`
const pairPrefix = (ip: string): string => `@${normalizeIP(ip)}|`

/**
 * Where an account's and an address's failures are: `account` is the hash holding the account's own counter
 * and one counter per client address (`pair` is the prefix of this address's fields in it); `address` holds
 * the client address's counter.
 */
export function loginThrottleKeys (keyPrefix: string, email: string, ip: string): { account: string, address: string, pair: string } {
  return { account: accountKey(keyPrefix, email), address: addressKey(keyPrefix, ip), pair: pairPrefix(ip) }
}

const NOTHING: LoginAttempt = { settle: async () => {}, abandon: async () => {} }

/** Lets a login attempt in, or refuses it with 429 AUTH_LOGIN_DELAYED while the pair, the account or the address must wait. */
export async function beginLoginAttempt (deps: ThrottleDeps, email: string, ip: string): Promise<LoginAttempt> {
  const t = deps.loginThrottle
  const keys = loginThrottleKeys(t.keyPrefix, email, ip)
  const delays = [t.baseDelaySeconds * 1000, t.maxDelaySeconds * 1000, t.windowSeconds * 1000]
  let waitMs: number
  let waits: number[]
  try {
    [waitMs = 0, ...waits] = (await commands(deps.redis).dreamseedLoginBegin(keys.account, keys.address, deps.now().getTime(), keys.pair, t.accountFreeFailures, t.accountCapFreeFailures, ...delays)).map(Number)
  } catch (err) {
    t.unavailable(err)
    return NOTHING
  }
  if (waitMs > 0) throw new LoginDelayedError(waitMs / 1000)
  const [pairBefore = 0, pairSet = 0, accountBefore = 0, accountSet = 0] = waits
  return {
    settle: async (passwordRight) => {
      try {
        if (passwordRight) await commands(deps.redis).dreamseedLoginSucceed(keys.account, keys.pair, t.accountCapFreeFailures, accountBefore, accountSet)
        else await commands(deps.redis).dreamseedLoginFail(keys.address, deps.now().getTime(), t.ipFreeFailures, ...delays)
      } catch (err) {
        t.unavailable(err)
      }
    },
    abandon: async () => {
      try {
        await commands(deps.redis).dreamseedLoginAbandon(keys.account, keys.pair, t.accountFreeFailures, t.accountCapFreeFailures, pairBefore, pairSet, accountBefore, accountSet)
      } catch (err) {
        t.unavailable(err)
      }
    }
  }
}

/** Forgets every failed login of an account, from every address (a completed password reset: the owner is back). */
export async function clearLoginFailures (deps: ThrottleDeps, email: string): Promise<void> {
  try {
    await deps.redis.del(accountKey(deps.loginThrottle.keyPrefix, email))
  } catch (err) {
    deps.loginThrottle.unavailable(err)
  }
}
