// The settings every service reads, declared once. A service's own spec spreads these and adds its own.
import { isIP } from 'node:net'
import { isProduction, parse, type Setting } from './config.js'

const setting = <T>(s: Setting<T>): Setting<T> => s

/** `opsPort`: its development default, distinct per service so all four run side by side (the API port + 6000). */
export function commonSettings (defaults: { port: number, opsPort: number, service: string }) {
  return {
    nodeEnv: setting({ env: 'NODE_ENV', description: 'development, test or production; production demands real secrets', parse: parse.oneOf(['development', 'test', 'production'] as const), default: 'development' as const }),
    host: setting({ env: 'HOST', description: 'interface to listen on', parse: parse.string, default: '127.0.0.1' }),
    port: setting({ env: 'PORT', description: 'HTTP port of the API (the only one to expose to the public)', parse: parse.int(0, 65535), default: defaults.port }),
    // Probes, Prometheus and operators only: what it serves tells an attacker about the inside, and costs work.
    opsPort: setting({ env: 'OPS_PORT', description: 'HTTP port of the operational endpoints (/metrics, /health/live, /health/ready, /health/database/pool, /docs): for probes, Prometheus and operators, never the public', parse: parse.int(0, 65535), default: defaults.opsPort }),
    logLevel: setting({ env: 'LOG_LEVEL', description: 'pino level', parse: parse.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), default: 'info' as const }),
    // `pnpm dev` sets it: under turbo stdout is a pipe, yet a person reads the lines.
    logPretty: setting({ env: 'LOG_PRETTY', description: 'readable log lines (pino-pretty) instead of JSON lines; `pnpm dev` sets it', parse: parse.bool, default: (env) => !isProduction(env) && process.stdout.isTTY === true, defaultDoc: 'true at a terminal, except in production' }),
    bodyLimit: setting({ env: 'BODY_LIMIT_BYTES', description: 'largest request body accepted', parse: parse.int(1024, 50 * 1024 * 1024), default: 65536 }),
    shutdownTimeoutMs: setting({ env: 'SHUTDOWN_TIMEOUT_MS', description: 'how long a stopping service waits for in-flight work', parse: parse.int(100, 120000), default: 10000 }),
    databaseUrl: setting({ env: 'DATABASE_URL', description: 'Postgres connection URL', parse: parse.url(['postgres:', 'postgresql:']), default: 'postgres://postgres@127.0.0.1:5432/dreamseed', secret: true, requiredInProduction: true }),
    dbPoolMax: setting({ env: 'DB_POOL_MAX', description: 'most connections in the pool', parse: parse.int(1, 200), default: 10 }),
    dbIdleTimeoutS: setting({ env: 'DB_IDLE_TIMEOUT_S', description: 'seconds an idle connection is kept', parse: parse.int(0, 86400), default: 30 }),
    dbMaxLifetimeS: setting({ env: 'DB_MAX_LIFETIME_S', description: 'seconds before a connection is recycled', parse: parse.int(0, 86400), default: 1800 }),
    dbConnectTimeoutS: setting({ env: 'DB_CONNECT_TIMEOUT_S', description: 'seconds to wait for a new connection', parse: parse.int(1, 120), default: 5 }),
    dbIdleInTransactionTimeoutMs: setting({ env: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', description: 'milliseconds a connection may sit idle inside a transaction before Postgres ends it (idle_in_transaction_session_timeout)', parse: parse.int(1000, 3_600_000), default: 60000 }),
    natsUrl: setting({ env: 'NATS_URL', description: 'NATS server(s), comma-separated', parse: parse.string, default: 'nats://127.0.0.1:4222', secret: true, requiredInProduction: true }),
    // One NATS user per service, allowed only its own events and consumers (packages/events nats-permissions.ts).
    natsUser: setting({ env: 'NATS_USER', description: 'this service\'s NATS user, whose permissions the server checks (`pnpm --filter @dreamseed/events run nats:config`)', parse: parseNatsUser, default: '', defaultDoc: 'none: connect without credentials (a development server)', requiredInProduction: true }),
    natsPassword: setting({ env: 'NATS_PASSWORD', description: 'the NATS user\'s password; read when NATS_USER is set', parse: parse.string, defaultDoc: 'none; required with NATS_USER', secret: true, requiredInProduction: true, when: (env) => (env.NATS_USER ?? '') !== '' || isProduction(env) }),
    eventsPrefix: setting({ env: 'EVENTS_PREFIX', description: 'namespace of every subject and stream (tests use their own)', parse: parse.string, default: 'dreamseed' }),
    serviceName: setting({ env: 'SERVICE_NAME', description: 'name in logs, metrics and events', parse: parse.string, default: defaults.service }),
    trustProxy: setting({ env: 'TRUST_PROXY', description: 'which proxies\' X-Forwarded-For gives the client address (per-address limits, logs): false, or their addresses/CIDRs comma-separated (true trusts any sender)', parse: parseTrustProxy, default: false as boolean | string })
  }
}

function parseNatsUser (raw: string): string {
  if (/[\s"'{}]/.test(raw)) throw new Error('expected a user name without spaces, quotes or braces')
  return raw
}

/** Fastify's trustProxy: false, true, or the proxies' addresses (proxy-addr's names allowed; hop counts are not trusted by Fastify 5). */
function parseTrustProxy (raw: string): boolean | string {
  if (/^(false|no|off|0)$/i.test(raw)) return false
  if (/^(true|yes|on|1)$/i.test(raw)) return true
  const parts = raw.split(',').map((p) => p.trim())
  if (parts.some((p) => !['loopback', 'linklocal', 'uniquelocal'].includes(p) && isIP(p.split('/')[0] ?? '') === 0)) throw new Error('expected true, false, or IP addresses/CIDRs separated by commas')
  return parts.join(',')
}

/** For services that use Redis (rate limits, caches, revocation). */
export const redisSettings = {
  redisUrl: setting({ env: 'REDIS_URL', description: 'Redis connection URL', parse: parse.url(['redis:', 'rediss:']), default: 'redis://127.0.0.1:6379', secret: true, requiredInProduction: true })
}

/** For services that accept auth's access tokens (every service but auth itself, which holds the key). */
export const authenticationSettings = {
  authJwksUrl: setting({ env: 'AUTH_JWKS_URL', description: 'auth\'s public keys (fetched once, cached, refreshed on an unknown key id); in production https://, or http:// only to auth inside the cluster (a Service name such as auth, or *.svc) or on the same host', parse: parse.url(['http:', 'https:']), default: 'http://127.0.0.1:3001/.well-known/jwks.json', requiredInProduction: true, inProduction: requireHttpsOutsideCluster }),
  authIssuer: setting({ env: 'AUTH_ISSUER', description: 'issuer expected in access tokens', parse: parse.string, default: 'dreamseed-auth' }),
  authAudience: setting({ env: 'AUTH_AUDIENCE', description: 'audience expected in access tokens', parse: parse.string, default: 'dreamseed' })
}

/**
 * Whoever could answer for auth's keys could sign any token: across any network they are fetched over https.
 * Plain http is left to a request that never leaves the cluster (a Service name, fenced by the NetworkPolicies)
 * or the host.
 */
export function requireHttpsOutsideCluster (url: string): void {
  const { protocol, hostname } = new URL(url)
  const host = hostname.replace(/^\[|\]$/g, '')
  const local = host === 'localhost' || host === '::1' || /^127\./.test(host)
  const inCluster = isIP(host) === 0 && (!host.includes('.') || /\.svc(\.cluster\.local)?$/.test(host))
  if (protocol === 'https:' || local || inCluster) return
  throw new Error('expected an https:// URL in production (http:// only to a Service inside the cluster, such as http://auth:3001, or to this host)')
}

export type CommonConfig = {
  nodeEnv: 'development' | 'test' | 'production'
  host: string
  port: number
  opsPort: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  logPretty: boolean
  bodyLimit: number
  shutdownTimeoutMs: number
  databaseUrl: string
  dbPoolMax: number
  dbIdleTimeoutS: number
  dbMaxLifetimeS: number
  dbConnectTimeoutS: number
  dbIdleInTransactionTimeoutMs: number
  natsUrl: string
  /** Empty: connect without credentials (development). */
  natsUser: string
  /** Set whenever natsUser is. */
  natsPassword?: string
  eventsPrefix: string
  serviceName: string
  trustProxy: boolean | string
}
