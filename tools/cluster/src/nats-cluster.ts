// A NATS cluster of three nats-server processes with JetStream, routed to each other over loopback ports, as
// production runs it (three pods). Each node can be stopped and started again on the same ports and store,
// so tests can take one node away under load. Authorization, when given, is the same block on every node.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'

export interface NatsNodePorts { client: number, route: number }

export interface NatsClusterOptions {
  /** Folder for each node's config and JetStream store (node-1, node-2, ...). */
  dir: string
  ports: NatsNodePorts[]
  /** JetStream file storage each node offers (nats-server size syntax, e.g. 2GB). */
  maxFileStore: string
  /** An `authorization { ... }` block, the same on every node; none: anyone may connect. */
  authorization?: string
  /** A user allowed to ask JetStream for its account info (the readiness probe); none with no authorization. */
  probe?: { user: string, pass: string }
  binary?: string
  /** Where each node's own log goes (nats-server -l); none: discarded. */
  logDir?: string
}

export interface NatsCluster {
  /** Every node's client URL, comma-separated: what NATS_URL takes. */
  url: string
  urls: string[]
  /** Stops node i (0-based) with SIGTERM (lame duck is not waited for) or SIGKILL. */
  stop: (i: number, signal?: NodeJS.Signals) => Promise<void>
  start: (i: number) => Promise<void>
  running: (i: number) => boolean
  /** Resolves once JetStream answers through the cluster (a meta leader is elected). */
  ready: () => Promise<void>
  close: () => Promise<void>
}

export function natsNodeConfig (options: NatsClusterOptions, i: number): string {
  const ports = options.ports[i]!
  const routes = options.ports.filter((_, j) => j !== i).map((p) => `"nats-route://127.0.0.1:${p.route}"`).join(', ')
  return [
    `server_name: "dreamseed-nats-${i + 1}"`,
    `listen: "127.0.0.1:${ports.client}"`,
    'jetstream {',
    `  store_dir: "${join(options.dir, `node-${i + 1}`)}"`,
    `  max_file_store: ${options.maxFileStore}`,
    '  max_memory_store: 64MB',
    '}',
    'cluster {',
    '  name: "dreamseed"',
    `  listen: "127.0.0.1:${ports.route}"`,
    `  routes: [${routes}]`,
    '}',
    ...(options.authorization === undefined ? [] : [options.authorization]),
    ''
  ].join('\n')
}

export async function startNatsCluster (options: NatsClusterOptions): Promise<NatsCluster> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? 'nats-server'
  const children: Array<ChildProcess | undefined> = options.ports.map(() => undefined)
  const urls = options.ports.map((p) => `nats://127.0.0.1:${p.client}`)
  const configs = options.ports.map((_, i) => {
    mkdirSync(join(options.dir, `node-${i + 1}`), { recursive: true })
    const file = join(options.dir, `node-${i + 1}.conf`)
    writeFileSync(file, natsNodeConfig(options, i), { mode: 0o600 })
    return file
  })

  const start = async (i: number): Promise<void> => {
    if (children[i] !== undefined) return
    const args = ['-c', configs[i]!]
    if (options.logDir !== undefined) args.push('-l', join(options.logDir, `nats-${i + 1}.log`))
    const child = spawn(binary, args, { stdio: 'ignore' })
    children[i] = child
    child.once('exit', () => { if (children[i] === child) children[i] = undefined })
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new GaveUp(`nats-server ${i + 1} exited with ${child.exitCode} (config ${configs[i]})`)
      const nc = await connect({ servers: urls[i]!, reconnect: false, ...probeAuth(options) })
      await nc.close()
    }, `nats-server ${i + 1} to accept connections`)
  }

  const stop = async (i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const child = children[i]
    if (child === undefined || child.exitCode !== null) return
    await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill(signal) })
    children[i] = undefined
  }

  const ready = async (): Promise<void> => {
    await waitUntil(async () => {
      const nc = await connect({ servers: urls, reconnect: false, ...probeAuth(options) })
      try { await (await jetstreamManager(nc)).getAccountInfo() } finally { await nc.close() }
    }, 'JetStream to answer through the cluster')
  }

  await Promise.all(options.ports.map(async (_, i) => { await start(i) }))
  await ready()
  return {
    url: urls.join(','),
    urls,
    stop,
    start,
    running: (i) => children[i] !== undefined,
    ready,
    close: async () => { await Promise.all(options.ports.map(async (_, i) => { await stop(i) })) }
  }
}

const probeAuth = (options: NatsClusterOptions) => options.probe === undefined ? {} : { user: options.probe.user, pass: options.probe.pass }

/** Thrown by a waited-for check that will never succeed (the process exited): stop waiting at once. */
export class GaveUp extends Error {}

/** Retries `fn` until it resolves (30 s at most; the last error says why not). */
export async function waitUntil (fn: () => Promise<unknown>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try { await fn(); return } catch (err) {
      if (err instanceof GaveUp || Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${(err as Error).message}`, { cause: err })
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
