// auth's settings: the shared ones plus what registration and verification need.
import { parseSigningKey, signingKeyFromSeed } from './domain/signing-key.js'
import { commonSettings, redisSettings, devSecret, loadConfig, parse, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const authSettings = {
  ...commonSettings({ port: 3001, service: 'auth' }),
  ...redisSettings,
  publicUrl: setting({ env: 'PUBLIC_URL', description: 'the address people reach auth at (links in pages)', parse: parse.url(['http:', 'https:']), default: 'http://127.0.0.1:3001', requiredInProduction: true }),
  tokenSealKey: setting({ env: 'TOKEN_SEAL_KEY', description: '32 bytes, base64: seals tokens inside events; the same value as notification\'s', parse: parse.key256, default: devSecret('token-seal-key'), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  verificationTtlHours: setting({ env: 'VERIFICATION_TTL_HOURS', description: 'how long a verification link works', parse: parse.int(1, 24 * 30), default: 24 }),
  resendIntervalSeconds: setting({ env: 'VERIFICATION_RESEND_INTERVAL_S', description: 'least time between two verification mails to one account', parse: parse.int(0, 3600), default: 60 }),
  signingKey: setting({ env: 'AUTH_SIGNING_KEY', description: 'Ed25519 key that signs access tokens: PKCS#8 PEM or a base64 32-byte seed', parse: parseSigningKey, default: (env: Env) => signingKeyFromSeed(devSecret('auth-signing-seed')(env)), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  issuer: setting({ env: 'AUTH_ISSUER', description: 'issuer written into access tokens', parse: parse.string, default: 'dreamseed-auth' }),
  audience: setting({ env: 'AUTH_AUDIENCE', description: 'audience written into access tokens', parse: parse.string, default: 'dreamseed' }),
  accessTokenTtlSeconds: setting({ env: 'ACCESS_TOKEN_TTL_S', description: 'lifetime of an access token', parse: parse.int(30, 3600), default: 600 }),
  sessionIdleTimeoutSeconds: setting({ env: 'SESSION_IDLE_TIMEOUT_S', description: 'a session unused this long ends (each refresh extends it)', parse: parse.int(60, 30 * 86400), default: 1800 }),
  sessionAbsoluteTimeoutSeconds: setting({ env: 'SESSION_ABSOLUTE_TIMEOUT_S', description: 'a session ends this long after login whatever its use', parse: parse.int(300, 365 * 86400), default: 7 * 86400 }),
  sessionCleanupIntervalSeconds: setting({ env: 'SESSION_CLEANUP_INTERVAL_S', description: 'how often expired sessions are deleted', parse: parse.int(1, 86400), default: 300 }),
  sessionCleanupBatch: setting({ env: 'SESSION_CLEANUP_BATCH', description: 'sessions deleted per statement (no table-wide lock)', parse: parse.int(1, 100000), default: 1000 }),
  outboxPollMs: setting({ env: 'OUTBOX_POLL_MS', description: 'how often the relay looks for events written by other replicas', parse: parse.int(10, 60000), default: 500 })
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>

export function loadAuthConfig (env: Env = process.env) {
  return loadConfig(authSettings, env)
}
