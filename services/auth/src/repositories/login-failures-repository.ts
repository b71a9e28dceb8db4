// Failed logins, counted in Redis by Lua scripts so that checking and counting an attempt is one atomic step
// (domain/login-throttle.ts says what is counted and why). Every method throws when Redis is unreachable;
// the throttle decides what that means.
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { normalizeIP } from '@fastify/rate-limit'

/** The counters' allowances and waits (login-throttle.ts). */
export interface FailureLimits {
  /** Failures to one account from one client address before each further one makes that pair wait. */
  accountFreeFailures: number
  /** Failures to one account from every address together before each further one makes the account wait. */
  accountCapFreeFailures: number
  ipFreeFailures: number
  baseDelaySeconds: number
  maxDelaySeconds: number
  windowSeconds: number
}

/** The waits an attempt found (ms since the epoch, 0 for none) before and after it was counted, to take its counts back. */
export interface CountedAttempt { pairBefore: number, pairSet: number, accountBefore: number, accountSet: number }

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
export function loginFailureKeys (keyPrefix: string, email: string, ip: string): { account: string, address: string, pair: string } {
  return { account: accountKey(keyPrefix, email), address: addressKey(keyPrefix, ip), pair: pairPrefix(ip) }
}

const delaysOf = (limits: FailureLimits): number[] => [limits.baseDelaySeconds * 1000, limits.maxDelaySeconds * 1000, limits.windowSeconds * 1000]

/** `keyPrefix` namespaces the keys (the events prefix: each test app has its own). */
export function createLoginFailuresRepository (redis: Redis, keyPrefix: string) {
  return {
    /** Counts an attempt against its pair and account, unless one of them or the address must wait: then the wait (ms). */
    begin: async (email: string, ip: string, now: Date, limits: FailureLimits): Promise<{ waitMs: number } | CountedAttempt> => {
      const keys = loginFailureKeys(keyPrefix, email, ip)
      const [waitMs = 0, pairBefore = 0, pairSet = 0, accountBefore = 0, accountSet = 0] = (await commands(redis).dreamseedLoginBegin(keys.account, keys.address, now.getTime(), keys.pair, limits.accountFreeFailures, limits.accountCapFreeFailures, ...delaysOf(limits))).map(Number)
      return waitMs > 0 ? { waitMs } : { pairBefore, pairSet, accountBefore, accountSet }
    },

    /** A wrong password: counted against the client address too. */
    fail: async (ip: string, now: Date, limits: FailureLimits): Promise<void> => {
      await commands(redis).dreamseedLoginFail(addressKey(keyPrefix, ip), now.getTime(), limits.ipFreeFailures, ...delaysOf(limits))
    },

    /** The right password: the pair's failures are forgotten, and this attempt no longer counts against the account. */
    succeed: async (email: string, ip: string, counted: CountedAttempt, limits: FailureLimits): Promise<void> => {
      await commands(redis).dreamseedLoginSucceed(accountKey(keyPrefix, email), pairPrefix(ip), limits.accountCapFreeFailures, counted.accountBefore, counted.accountSet)
    },

    /** Takes back the counts of an attempt that could not be checked. */
    abandon: async (email: string, ip: string, counted: CountedAttempt, limits: FailureLimits): Promise<void> => {
      await commands(redis).dreamseedLoginAbandon(accountKey(keyPrefix, email), pairPrefix(ip), limits.accountFreeFailures, limits.accountCapFreeFailures, counted.pairBefore, counted.pairSet, counted.accountBefore, counted.accountSet)
    },

    /** Forgets every failure of the account, from every address (one DEL: one hash holds them all). */
    clear: async (email: string): Promise<void> => {
      await redis.del(accountKey(keyPrefix, email))
    }
  }
}

export type LoginFailuresRepository = ReturnType<typeof createLoginFailuresRepository>
