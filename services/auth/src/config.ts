// auth's settings: the shared ones plus what registration and verification need.
import { commonSettings, redisSettings, devSecret, loadConfig, parse, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const authSettings = {
  ...commonSettings({ port: 3001, service: 'auth' }),
  ...redisSettings,
  publicUrl: setting({ env: 'PUBLIC_URL', description: 'the address people reach auth at (links in pages)', parse: parse.url(['http:', 'https:']), default: 'http://127.0.0.1:3001', requiredInProduction: true }),
  tokenSealKey: setting({ env: 'TOKEN_SEAL_KEY', description: '32 bytes, base64: seals tokens inside events; the same value as notification\'s', parse: parse.key256, default: devSecret('token-seal-key'), defaultDoc: 'generated once per checkout (development only)', secret: true, requiredInProduction: true }),
  verificationTtlHours: setting({ env: 'VERIFICATION_TTL_HOURS', description: 'how long a verification link works', parse: parse.int(1, 24 * 30), default: 24 }),
  resendIntervalSeconds: setting({ env: 'VERIFICATION_RESEND_INTERVAL_S', description: 'least time between two verification mails to one account', parse: parse.int(0, 3600), default: 60 }),
  outboxPollMs: setting({ env: 'OUTBOX_POLL_MS', description: 'how often the relay looks for events written by other replicas', parse: parse.int(10, 60000), default: 500 })
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>

export function loadAuthConfig (env: Env = process.env) {
  return loadConfig(authSettings, env)
}
