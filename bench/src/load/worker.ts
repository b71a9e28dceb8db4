// The load generator, a process of its own (forked by the bench, never inside a service): it runs one job at
// a time with autocannon (closed loop: each connection sends its next request when the last is answered) or
// with an even-paced sender (open loop), or keeps the capacity scenario's students and teachers going
// (open-loop.ts), and answers with the latencies it measured itself, exactly.
import http from 'node:http'
import autocannon, { type Instance } from 'autocannon'
import { buildProfile } from './profiles.js'
import { createOpenLoop } from './open-loop.js'
import { summarize, type LoadJob, type LoadResult, type PacedJob, type WorkerReply, type WorkerRequest } from './jobs.js'

// One autocannon run of warm-up plus measurement: only responses completed after the warm-up count. A single
// run, because connections closed between two runs would drop their in-flight requests, and a student whose
// answer was recorded but never read back would answer a stale item.
async function load (job: LoadJob): Promise<LoadResult> {
  // A flag set once, not the clock read at each response: the profile's own counts of a response (servedBy) and
  // these then agree on which responses were in the window.
  let recording = false
  let recordFrom = Infinity
  const { requests, extra, servedBy } = buildProfile(job.profile, (job.warmupS + job.durationS) * 2000, () => recording)
  const latencies: number[] = []
  const statusCounts: Record<string, number> = {}
  let ok = 0
  let errors = 0
  // Without a callback autocannon returns its event emitter, which is also a promise of the summary.
  const instance = autocannon({ url: job.url, connections: job.connections, duration: job.warmupS + job.durationS, requests, timeout: 30 }) as unknown as Instance & PromiseLike<unknown>
  instance.on('start', () => { setTimeout(() => { recordFrom = performance.now(); recording = true }, job.warmupS * 1000) })
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (!recording) return
    statusCounts[status] = (statusCounts[status] ?? 0) + 1
    if (status >= 200 && status < 300) {
      ok++
      latencies.push(responseTime)
    } else {
      errors++
    }
  })
  instance.on('reqError', () => {
    if (!recording) return
    errors++
    statusCounts.socket = (statusCounts.socket ?? 0) + 1
  })
  await instance
  const elapsedS = (performance.now() - recordFrom) / 1000
  return { name: job.name, ok, errors, statusCounts, elapsedS, throughput: ok / elapsedS, latencyMs: summarize(latencies), extra, ...(job.profile.kind === 'answer' && job.profile.replicaHeader !== undefined ? { servedBy } : {}), samples: latencies }
}

/** Registrations at an even rate; each address holds the time it was sent, so the bench can time its mail. */
async function paced (job: PacedJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const latencies: number[] = []
  const statusCounts: Record<string, number> = {}
  let ok = 0
  let errors = 0
  const total = Math.max(1, Math.round(job.rate * job.durationS))
  const interval = 1000 / job.rate
  const started = performance.now()
  const inflight: Array<Promise<void>> = []
  for (let i = 0; i < total; i++) {
    const due = started + i * interval
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    const sentAt = Date.now()
    const body = JSON.stringify({ email: `${job.tag}-${i}-${sentAt}@bench.example.org`, password: job.password, role: 'student', displayName: 'Bench Mail' })
    const t0 = performance.now()
    inflight.push(new Promise<void>((resolve) => {
      const req = http.request(`${job.url}/auth/register`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => {
          const status = res.statusCode ?? 0
          statusCounts[status] = (statusCounts[status] ?? 0) + 1
          if (status >= 200 && status < 300) { ok++; latencies.push(performance.now() - t0) } else errors++
          resolve()
        })
      })
      req.on('error', () => { errors++; statusCounts.socket = (statusCounts.socket ?? 0) + 1; resolve() })
      req.end(body)
    }))
  }
  await Promise.all(inflight)
  agent.destroy()
  const elapsedS = (performance.now() - started) / 1000
  return { name: job.name, ok, errors, statusCounts, elapsedS, throughput: ok / elapsedS, latencyMs: summarize(latencies) }
}

// The capacity scenario's students and teachers, kept from one step's ramp to the next until it stops them.
let openLoop: ReturnType<typeof createOpenLoop> | undefined

async function run (message: WorkerRequest): Promise<unknown> {
  switch (message.type) {
    case 'load': return await load(message.job)
    case 'paced': return await paced(message.job)
    case 'open-loop-ramp':
      openLoop ??= createOpenLoop()
      return await openLoop.ramp(message.job)
    case 'open-loop-hold':
      if (openLoop === undefined) throw new Error('no open loop is running: ramp first')
      return await openLoop.hold(message.job.holdS)
    case 'open-loop-stop':
      await openLoop?.stop()
      openLoop = undefined
      return null
  }
}

process.on('message', (message: WorkerRequest) => {
  run(message).then(
    (result) => { process.send!({ id: message.id, ok: true, result } satisfies WorkerReply) },
    (err: Error) => { process.send!({ id: message.id, ok: false, error: err.stack ?? err.message } satisfies WorkerReply) }
  )
})
process.on('disconnect', () => process.exit(0))
