// The bench's handle on its load process: forks it once (so stateful flows keep their state between the
// warm-up and the measured run), sends it jobs one at a time, and stops it at the end.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadJob, LoadResult, PacedJob, WorkerReply, WorkerRequest } from './jobs.js'

export interface LoadProcess {
  run: (job: LoadJob) => Promise<LoadResult>
  paced: (job: PacedJob) => Promise<LoadResult>
  pid: () => number | undefined
  stop: () => Promise<void>
}

export function startLoadProcess (): LoadProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
    execArgv: ['--conditions=dreamseed-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  let nextId = 0
  const waiting = new Map<number, { resolve: (r: LoadResult) => void, reject: (e: Error) => void }>()
  child.on('message', (reply: WorkerReply) => {
    const w = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.ok) w?.resolve(reply.result)
    else w?.reject(new Error(`load process: ${reply.error}`))
  })
  child.on('exit', (code) => { for (const w of waiting.values()) w.reject(new Error(`load process exited with ${code}`)) })
  const send = async (request: Omit<WorkerRequest, 'id'>): Promise<LoadResult> => await new Promise((resolve, reject) => {
    const id = nextId++
    waiting.set(id, { resolve, reject })
    child.send({ ...request, id })
  })
  return {
    run: async (job) => await send({ type: 'load', job }),
    paced: async (job) => await send({ type: 'paced', job }),
    pid: () => child.pid,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.disconnect()
      await exited
    }
  }
}
