// The bench's handle on its load process: forks it once (so stateful flows keep their state between the
// warm-up and the measured run), sends it jobs one at a time, and stops it at the end.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadJob, LoadResult, OpenLoopRamp, OpenLoopStats, PacedJob, WorkerReply, WorkerRequest } from './jobs.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface LoadProcess {
  run: (job: LoadJob) => Promise<LoadResult>
  paced: (job: PacedJob) => Promise<LoadResult>
  /** The capacity scenario: adds students and teachers to the open loop (resolves once the last has arrived). */
  openLoopRamp: (job: OpenLoopRamp) => Promise<void>
  /** What the open loop did over the next `holdS` seconds; it goes on afterwards. */
  openLoopHold: (holdS: number) => Promise<OpenLoopStats>
  openLoopStop: () => Promise<void>
  pid: () => number | undefined
  stop: () => Promise<void>
}

export function startLoadProcess (): LoadProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
    execArgv: ['--conditions=dreamseed-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  let nextId = 0
  const waiting = new Map<number, { resolve: (r: unknown) => void, reject: (e: Error) => void }>()
  child.on('message', (reply: WorkerReply) => {
    const w = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.ok) w?.resolve(reply.result)
    else w?.reject(new Error(`load process: ${reply.error}`))
  })
  child.on('exit', (code) => { for (const w of waiting.values()) w.reject(new Error(`load process exited with ${code}`)) })
  // The reply's type is the one its request's type answers with (worker.ts).
  const send = async <R>(request: DistributiveOmit<WorkerRequest, 'id'>): Promise<R> => await new Promise((resolve, reject) => {
    const id = nextId++
    waiting.set(id, { resolve: resolve as (r: unknown) => void, reject })
    child.send({ ...request, id })
  })
  return {
    run: async (job) => await send<LoadResult>({ type: 'load', job }),
    paced: async (job) => await send<LoadResult>({ type: 'paced', job }),
    openLoopRamp: async (job) => { await send<null>({ type: 'open-loop-ramp', job }) },
    openLoopHold: async (holdS) => await send<OpenLoopStats>({ type: 'open-loop-hold', job: { holdS } }),
    openLoopStop: async () => { await send<null>({ type: 'open-loop-stop' }) },
    pid: () => child.pid,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.disconnect()
      await exited
    }
  }
}
