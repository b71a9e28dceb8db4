// auth's settings: the shared ones plus what registration and verification need.
import type { KeyObject } from 'node:crypto'
import { parseSigningKey, sameKey, signingKeyFromSeed } from './domain/signing-key.js'
import { ConfigError, commonSettings, redisSettings, devSecret, loadConfig, parse, rateLimitSettings, requireHttps, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const authSettings = {
  ...commonSettings({ port: 3001, opsPort: 9001, service: 'auth' }),
  ...redisSettings,
  publicUrl: setting({ env: 'PUBLIC_URL', description: 'the address people reach auth at (links in pages); https:// in production', parse: parse.url(['http:', 'https:']), default: 'http://127.0.0.1:3001', requiredInProduction: true, inProduction: requireHttps }),
  tokenSealKey: setting({ env: 'TOKEN_SEAL_KEY', description: '32 bytes, base64: seals tokens inside events; the same value as notification\'s', parse: parse.key256, default: devSecret('token-seal-key'), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  verificationTtlHours: setting({ env: 'VERIFICATION_TTL_HOURS', description: 'how long a verification link works', parse: parse.int(1, 24 * 30), default: 24 }),
  resendIntervalSeconds: setting({ env: 'VERIFICATION_RESEND_INTERVAL_S', description: 'least time between two verification mails to one account, asked for again or registered again', parse: parse.int(0, 3600), default: 60 }),
  passwordResetTtlMinutes: setting({ env: 'PASSWORD_RESET_TTL_MINUTES', description: 'how long a password reset link works', parse: parse.int(5, 24 * 60), default: 60 }),
  passwordResetIntervalSeconds: setting({ env: 'PASSWORD_RESET_INTERVAL_S', description: 'least time between two password reset mails to one account', parse: parse.int(0, 3600), default: 60 }),
  invitationTtlHours: setting({ env: 'INVITATION_TTL_HOURS', description: 'how long an invitation into an organization can be accepted', parse: parse.int(1, 24 * 90), default: 168 }),
  invitationResendIntervalSeconds: setting({ env: 'INVITATION_RESEND_INTERVAL_S', description: 'least time between two invitation mails from one organization to one address (inviting again sooner only refreshes the invitation)', parse: parse.int(0, 7 * 86400), default: 3600 }),
  invitationsMaxPending: setting({ env: 'INVITATIONS_MAX_PENDING', description: 'pending invitations one organization\'s admins may have out at once (new organizations\' first admins included)', parse: parse.int(1, 100_000), default: 200 }),
  signingKey: setting({ env: 'AUTH_SIGNING_KEY', description: 'Ed25519 key that signs access tokens: PKCS#8 PEM or a base64 32-byte seed', parse: parseSigningKey, default: (env: Env) => signingKeyFromSeed(devSecret('auth-signing-seed')(env)), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  signingKeyNext: setting<KeyObject | null>({ env: 'AUTH_SIGNING_KEY_NEXT', description: 'key rotation, step 1: the key that will sign next, in the same form; published in the JWKS, not signing yet', parse: parseSigningKey, default: null, defaultDoc: 'none', secret: true }),
  signingKeyPrevious: setting<KeyObject | null>({ env: 'AUTH_SIGNING_KEY_PREVIOUS', description: 'key rotation, step 2: the key that signed before AUTH_SIGNING_KEY, in the same form; still published, so its tokens verify until they expire', parse: parseSigningKey, default: null, defaultDoc: 'none', secret: true }),
  issuer: setting({ env: 'AUTH_ISSUER', description: 'issuer written into access tokens', parse: parse.string, default: 'dreamseed-auth' }),
  audience: setting({ env: 'AUTH_AUDIENCE', description: 'audience written into access tokens', parse: parse.string, default: 'dreamseed' }),
  accessTokenTtlSeconds: setting({ env: 'ACCESS_TOKEN_TTL_S', description: 'lifetime of an access token', parse: parse.int(30, 3600), default: 600 }),
  sessionIdleTimeoutSeconds: setting({ env: 'SESSION_IDLE_TIMEOUT_S', description: 'a session unused this long ends (each refresh extends it)', parse: parse.int(60, 30 * 86400), default: 1800 }),
  sessionAbsoluteTimeoutSeconds: setting({ env: 'SESSION_ABSOLUTE_TIMEOUT_S', description: 'a session ends this long after login whatever its use', parse: parse.int(300, 365 * 86400), default: 7 * 86400 }),
  sessionCleanupIntervalSeconds: setting({ env: 'SESSION_CLEANUP_INTERVAL_S', description: 'how often expired sessions are deleted', parse: parse.int(1, 86400), default: 300 }),
  sessionCleanupBatch: setting({ env: 'SESSION_CLEANUP_BATCH', description: 'sessions deleted per statement (no table-wide lock)', parse: parse.int(1, 100000), default: 1000 }),
  outboxPollMs: setting({ env: 'OUTBOX_POLL_MS', description: 'how often the relay looks for events written by other replicas', parse: parse.int(10, 60000), default: 500 }),
  ...rateLimitSettings({ envPrefix: 'AUTH', service: 'auth', per: 'one client address', max: 600, strictMax: 100, strictRoutes: 'each of login, register, password/* and verification/resend' }),
  loginFreeFailures: setting({ env: 'LOGIN_THROTTLE_FREE_FAILURES', description: 'failed logins to one account from one client address before each further one makes that address\'s next attempt on the account wait (other addresses, the owner\'s among them, are not delayed)', parse: parse.int(1, 1000), default: 5 }),
  loginAccountFreeFailures: setting({ env: 'LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES', description: 'failed logins to one account from every address together before each further one makes every next attempt on the account wait: a guesser spread over many addresses; at least LOGIN_THROTTLE_FREE_FAILURES, and above what one address can do in a window (about 18 with the other defaults)', parse: parse.int(1, 1_000_000), default: 50 }),
  loginIpFreeFailures: setting({ env: 'LOGIN_THROTTLE_IP_FREE_FAILURES', description: 'failed logins from one client address before each further one makes the next attempt wait (a school is often one address)', parse: parse.int(1, 1_000_000), default: 100 }),
  loginBaseDelaySeconds: setting({ env: 'LOGIN_THROTTLE_BASE_DELAY_S', description: 'the first wait; it doubles with each further failure', parse: parse.int(1, 3600), default: 1 }),
  loginMaxDelaySeconds: setting({ env: 'LOGIN_THROTTLE_MAX_DELAY_S', description: 'the longest wait (there is no lockout)', parse: parse.int(1, 86400), default: 900 }),
  loginWindowSeconds: setting({ env: 'LOGIN_THROTTLE_WINDOW_S', description: 'failed logins are counted over this long from the first; then the count starts over', parse: parse.int(1, 7 * 86400), default: 3600 })
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>

export function loadAuthConfig (env: Env = process.env) {
  const config = loadConfig(authSettings, env)
  // One key published twice would give verifiers two entries with one key id, and they would refuse its tokens.
  const named: Array<[string, KeyObject | null]> = [['AUTH_SIGNING_KEY', config.signingKey], ['AUTH_SIGNING_KEY_NEXT', config.signingKeyNext], ['AUTH_SIGNING_KEY_PREVIOUS', config.signingKeyPrevious]]
  const problems = named.flatMap(([name, key], i) => named.slice(0, i).flatMap(([earlier, other]) =>
    key !== null && other !== null && sameKey(key, other) ? [`${name} is invalid: the same key as ${earlier} (each key is published once)`] : []))
  // A per-account allowance below the per-address one would let one stranger delay the owner everywhere.
  if (config.loginAccountFreeFailures < config.loginFreeFailures) problems.push(`LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES is invalid: ${config.loginAccountFreeFailures} is below LOGIN_THROTTLE_FREE_FAILURES (${config.loginFreeFailures})`)
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
