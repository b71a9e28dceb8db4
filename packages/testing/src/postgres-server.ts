// A private Postgres cluster (initdb in a temporary directory, its own port) for tests that stop and restart
// Postgres under load: never the shared one. Postgres refuses to run as root, so as root its binaries run as
// the postgres user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { freePort } from './free-port.js'

export interface PrivatePostgres {
  /** The cluster's postgres database, as superuser: what createTestDatabase takes as its admin URL. */
  adminUrl: string
  /** Stops the server: 'fast' ends sessions and shuts down cleanly, 'immediate' is a crash (recovery on start). */
  stop: (mode?: 'fast' | 'immediate') => Promise<void>
  start: () => Promise<void>
}

function binDir (): string {
  if (process.env.PG_BIN_DIR !== undefined) return process.env.PG_BIN_DIR
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : []
  if (versions[0] === undefined) throw new Error('no Postgres binaries under /usr/lib/postgresql/*/bin (set PG_BIN_DIR)')
  return join(root, versions[0], 'bin')
}

function postgresUser (): { uid: number, gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
  return { uid: id('-u'), gid: id('-g') }
}

/** The command line, run as the postgres user when we are root (setpriv execs, so signals reach postgres itself). */
function command (binary: string, args: string[], user: { uid: number, gid: number } | undefined): [string, string[]] {
  if (user === undefined) return [binary, args]
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', binary, ...args]]
}

export async function startPrivatePostgres (t: { teardown: (fn: () => unknown) => void }): Promise<PrivatePostgres> {
  const bin = binDir()
  const user = postgresUser()
  const dir = mkdtempSync(join(tmpdir(), 'ds-pg-'))
  if (user !== undefined) chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const [initdb, initArgs] = command(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'], user)
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8', cwd: dir })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const port = await freePort()
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
  let child: ChildProcess | undefined

  const start = async (): Promise<void> => {
    const [binary, args] = command(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'], user)
    child = spawn(binary, args, { stdio: 'ignore', cwd: dir })
    for (let i = 0; i < 150; i++) {
      const sql = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} })
      try { await sql`select 1`; return } catch { await new Promise((resolve) => setTimeout(resolve, 100)) } finally { await sql.end({ timeout: 1 }) }
    }
    throw new Error('private postgres did not start')
  }
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    const c = child
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
    // SIGINT: fast shutdown; SIGQUIT: immediate (no checkpoint, crash recovery at the next start).
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT') })
    child = undefined
  }
  await start()
  t.teardown(async () => { await stop('immediate'); rmSync(dir, { recursive: true, force: true }) })
  return { adminUrl, stop, start }
}
