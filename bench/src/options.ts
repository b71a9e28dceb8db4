// What one run of the bench is: how long each measurement lasts, where it writes, which database and event
// namespace it owns. Read once from the command line and the environment, checked, and passed down.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export interface BenchOptions {
  short: boolean
  /** Seconds each side of each scenario is measured. */
  durationS: number
  /** Seconds of load before each measurement (JIT, pools, caches), not counted. */
  warmupS: number
  /** Items in the exam bank (scenario 4). */
  bankSize: number
  /** Events relayed (and raw-published) in scenario 6b. */
  relayEvents: number
  /** exam.response.recorded envelopes analytics ingests (and the raw loop consumes) in scenario 6c. */
  ingestEvents: number
  /** Folder for latest.json, the services' logs and CPU profiles. */
  outDir: string
  databaseName: string
  adminDatabaseUrl: string
  /** Namespace of the bench's subjects and streams (never the dev one). */
  eventsPrefix: string
  natsUrl: string
  redisUrl: string
  logLevel: string
  /** Services to run with --cpu-prof (profiles land in outDir/profiles). */
  profile: string[]
  /** Scenarios to run (ids as in the table, e.g. 1a,4); all when empty. */
  only: string[]
  /** Drop the database and delete the streams at the end (the test does; a full run keeps the data to look at). */
  cleanup: boolean
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const number = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${JSON.stringify(raw)})`)
  return n
}

function flag (argv: string[], name: string): string | true | undefined {
  for (const arg of argv) {
    if (arg === `--${name}`) return true
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3)
  }
  return undefined
}

export function readOptions (argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const known = ['short', 'duration', 'out', 'cpu-prof', 'keep', 'only']
  const unknown = argv.filter((a) => a !== '--' && !known.some((k) => a === `--${k}` || a.startsWith(`--${k}=`)))
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (known: ${known.map((k) => `--${k}`).join(' ')})`)
  const durationFlag = flag(argv, 'duration')
  const short = flag(argv, 'short') !== undefined || env.BENCH_SHORT === '1'
  const durationS = number(typeof durationFlag === 'string' ? durationFlag : env.BENCH_DURATION, short ? 2 : 15, 'BENCH_DURATION')
  const quick = short || durationS <= 3
  const out = flag(argv, 'out')
  const prof = flag(argv, 'cpu-prof')
  const only = flag(argv, 'only')
  const isolated = env.BENCH_ISOLATED === '1'
  const suffix = randomBytes(4).toString('hex')
  return {
    short: quick,
    durationS,
    warmupS: quick ? 0.5 : 3,
    bankSize: number(env.BENCH_BANK_SIZE, 10_000, 'BENCH_BANK_SIZE'),
    relayEvents: number(env.BENCH_RELAY_EVENTS, quick ? 300 : 2000, 'BENCH_RELAY_EVENTS'),
    ingestEvents: number(env.BENCH_INGEST_EVENTS, quick ? 300 : 2000, 'BENCH_INGEST_EVENTS'),
    outDir: typeof out === 'string' ? out : (env.BENCH_OUT ?? join(REPO_ROOT, 'bench', 'results')),
    databaseName: env.BENCH_DATABASE ?? (isolated ? `bench_${suffix}` : 'bench'),
    adminDatabaseUrl: env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    eventsPrefix: env.BENCH_EVENTS_PREFIX ?? (isolated ? `bench${suffix}` : 'bench'),
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    logLevel: env.BENCH_LOG_LEVEL ?? 'info',
    profile: prof === undefined ? [] : prof === true ? ['auth', 'exam', 'notification', 'analytics'] : prof.split(',').map((s) => s.trim()).filter(Boolean),
    only: typeof only === 'string' ? only.split(',').map((s) => s.trim()).filter(Boolean) : [],
    cleanup: isolated && flag(argv, 'keep') === undefined
  }
}

export function databaseUrl (options: BenchOptions): string {
  const url = new URL(options.adminDatabaseUrl)
  url.pathname = `/${options.databaseName}`
  return url.toString()
}
