// Starts relay replicas (replica.ts) as processes of their own and stops them, collecting what each published.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** What the bench and a replica say to each other. */
export type ReplicaRequest = { type: 'cpu' } | { type: 'stop' }
export type ReplicaReply = { type: 'ready' } | { type: 'cpu', cpuMs: number } | { type: 'stopped', published: number }

export interface RelayReplicas {
  /** The CPU time each replica's process has used so far, in ms. */
  cpu: () => Promise<number[]>
  /** Stops every replica; how many events each published. */
  stop: () => Promise<number[]>
}

export async function startRelayReplicas (n: number, env: { databaseUrl: string, natsUrl: string, prefix: string, table: string }): Promise<RelayReplicas> {
  const children: ChildProcess[] = []
  const replyOf = async <T extends ReplicaReply['type']>(child: ChildProcess, type: T): Promise<Extract<ReplicaReply, { type: T }>> => await new Promise((resolve, reject) => {
    const onMessage = (reply: ReplicaReply): void => { if (reply.type === type) { child.off('exit', onExit); child.off('message', onMessage); resolve(reply as Extract<ReplicaReply, { type: T }>) } }
    const onExit = (code: number | null): void => { child.off('message', onMessage); reject(new Error(`relay replica exited with ${code} before "${type}"`)) }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
  try {
    for (let i = 0; i < n; i++) {
      const child = fork(fileURLToPath(new URL('./replica.ts', import.meta.url)), [], {
        execArgv: ['--conditions=dreamseed-source', '--import', 'tsx'],
        env: { ...process.env, BENCH_DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, BENCH_RELAY_PREFIX: env.prefix, BENCH_RELAY_TABLE: env.table, BENCH_RELAY_NAME: `bench-relay-${i + 1}` },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      children.push(child)
    }
    await Promise.all(children.map(async (c) => await replyOf(c, 'ready')))
  } catch (err) {
    for (const c of children) c.kill()
    throw err
  }
  return {
    cpu: async () => await Promise.all(children.map(async (c) => {
      const reply = replyOf(c, 'cpu')
      c.send({ type: 'cpu' } satisfies ReplicaRequest)
      return (await reply).cpuMs
    })),
    stop: async () => await Promise.all(children.map(async (c) => {
      const stopped = replyOf(c, 'stopped')
      c.send({ type: 'stop' } satisfies ReplicaRequest)
      return (await stopped).published
    }))
  }
}
