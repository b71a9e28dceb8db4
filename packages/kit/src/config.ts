// One config loader for every service: each setting is declared once (name, default, parser, whether it is a
// secret), read from the environment and checked at start, so a bad or missing value stops the process
// with the full list of problems instead of failing later. The declarations also feed the README and k8s checks.
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type Env = Record<string, string | undefined>

export interface Setting<T> {
  env: string
  description: string
  parse: (raw: string) => T
  /** A value, or a function of the other raw variables (e.g. a generated development secret). */
  default?: T | ((env: Env) => T)
  /** Shown instead of the default in docs. */
  defaultDoc?: string
  secret?: boolean
  /** In production the variable must be set; the default only serves development and tests. */
  requiredInProduction?: boolean
  /** The setting only applies (and is only checked) when this holds. */
  when?: (env: Env) => boolean
  /** What production demands of the value beyond parsing (e.g. https only); throws saying what it expects. */
  inProduction?(value: T): void // a method, so a Setting<string> is still a Setting<unknown>
}

export type Spec = Record<string, Setting<unknown>>
export type ConfigOf<S extends Spec> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never }

export class ConfigError extends Error {
  readonly problems: string[]
  constructor (problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export function isProduction (env: Env): boolean {
  return env.NODE_ENV === 'production'
}

export function loadConfig<S extends Spec> (spec: S, env: Env = process.env): ConfigOf<S> {
  const problems: string[] = []
  const out: Record<string, unknown> = {}
  const production = isProduction(env)
  for (const [key, setting] of Object.entries(spec)) {
    if (setting.when !== undefined && !setting.when(env)) continue
    const raw = env[setting.env]
    const given = raw === undefined || raw === '' ? undefined : raw
    if (given === undefined) {
      if (production && setting.requiredInProduction === true) {
        problems.push(`${setting.env} is required in production (${setting.description})`)
        continue
      }
      if (setting.default === undefined) {
        problems.push(`${setting.env} is required (${setting.description})`)
        continue
      }
    }
    try {
      const value = given !== undefined
        ? setting.parse(given)
        : typeof setting.default === 'function' ? (setting.default as (e: Env) => unknown)(env) : setting.default
      if (production) setting.inProduction?.(value)
      out[key] = value
    } catch (err) {
      // Never echo a secret's value back into logs.
      const shown = setting.secret === true || given === undefined ? '' : ` (got ${JSON.stringify(given.slice(0, 100))})`
      problems.push(`${setting.env} is invalid: ${(err as Error).message}${shown}`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return out as ConfigOf<S>
}

export const parse = {
  string: (raw: string): string => raw,
  int: (min: number, max: number) => (raw: string): number => {
    if (!/^-?\d+$/.test(raw)) throw new Error('expected a whole number')
    const n = Number(raw)
    if (n < min || n > max) throw new Error(`expected a number from ${min} to ${max}`)
    return n
  },
  bool: (raw: string): boolean => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true
    if (/^(0|false|no|off)$/i.test(raw)) return false
    throw new Error('expected true or false')
  },
  url: (protocols: string[]) => (raw: string): string => {
    let u: URL
    try { u = new URL(raw) } catch { throw new Error('expected a URL') }
    if (!protocols.includes(u.protocol)) throw new Error(`expected a ${protocols.join(' or ')} URL`)
    return raw
  },
  oneOf: <T extends string>(values: readonly T[]) => (raw: string): T => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`expected one of ${values.join(', ')}`)
    return raw as T
  },
  /** A 256-bit key given as base64 or base64url. */
  key256: (raw: string): Buffer => {
    const key = Buffer.from(raw, 'base64')
    if (key.length !== 32) throw new Error('expected 32 bytes encoded as base64')
    return key
  }
}

/** For `inProduction`: a URL that people, or other services across the network, reach is https:// in production. */
export function requireHttps (url: string): void {
  if (new URL(url).protocol !== 'https:') throw new Error('expected an https:// URL in production')
}

/**
 * A development secret shared by every service on this checkout: generated once and kept in a git-ignored
 * folder at the workspace root, so auth and notification agree on it without anyone setting a variable.
 * Production never reaches this (its secrets are requiredInProduction).
 */
export function devSecret (name: string, bytes = 32) {
  return (env: Env): Buffer => {
    const dir = env.DEV_SECRETS_DIR ?? join(findWorkspaceRoot(process.cwd()), '.dreamseed-dev-secrets')
    const file = join(dir, name)
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
      writeFileSync(tmp, randomBytes(bytes).toString('base64'), { mode: 0o600 })
      // link() fails if the name exists, so when two services start at once exactly one key wins.
      try { linkSync(tmp, file) } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err }
      unlinkSync(tmp)
    }
    return Buffer.from(readFileSync(file, 'utf8'), 'base64')
  }
}

function findWorkspaceRoot (from: string): string {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return from
    dir = parent
  }
}
