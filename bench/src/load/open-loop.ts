// The capacity scenario's load, inside the load process: an open loop. Each active student answers the item
// their last step returned at an exponential (Poisson) interval after that step's response, whatever the
// platform's latency; each teacher reads their classroom's summary on a fixed schedule. Every latency is taken
// from the moment the request was DUE, not when it left, so a late timer or a queue in front of a busy
// service counts against the platform (no coordinated omission); how late requests left is kept apart (lag),
// since a lag that grows means the generator itself is the bottleneck. Students stay active from one step to
// the next; a step only adds arrivals.
import http from 'node:http'
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import type { OpenLoopRamp, OpenLoopStats, OpenLoopStudent, OpenLoopTeacher } from './jobs.js'

interface Reply { status: number, body: string }

interface Student extends OpenLoopStudent {
  examIndex: number
  sessionId: string | null
  itemId: string | null
  options: number
  /** Answers exam answered 200 for: analytics has applied them all once the student's timeSpentMs is this × answerTimeMs. */
  recorded: number
}

interface Window {
  from: number
  /** Probes started in this window and not yet resolved: the window's result waits for them. */
  probing: number
  answers: number[]
  starts: number[]
  reads: number[]
  freshness: number[]
  stale: number
  lag: number[]
  errors: number
  statusCounts: Record<string, number>
  elu: EventLoopUtilization
}

/** How long a freshness probe waits for analytics before counting the answer stale. */
const PROBE_TIMEOUT_MS = 30_000
const PROBE_POLL_MS = 20
/** At most this many probes at once: they are reads too, and must not become a load of their own. */
const PROBE_LIMIT = 32

const exponential = (mean: number): number => -Math.log(1 - Math.random()) * mean

export function createOpenLoop () {
  // Enough sockets that the pool never queues a request the platform could take: a queue here would be the
  // generator's, and it would show as latency. Keep-alive, as browsers behind a proxy would reuse connections.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2048 })
  const timers = new Set<NodeJS.Timeout>()
  let config: OpenLoopRamp | undefined
  let activeStudents = 0
  let activeTeachers = 0
  let finished = 0
  let inFlight = 0
  let probes = 0
  /** Arrived students whose first start has not been answered yet. */
  let arriving = 0
  /** Session starts answered 2xx since the loop began (arrivals and students moving on to their next exam). */
  let started = 0
  let stopped = false
  let window: Window = newWindow()

  function newWindow (): Window {
    return { from: performance.now(), probing: 0, answers: [], starts: [], reads: [], freshness: [], stale: 0, lag: [], errors: 0, statusCounts: {}, elu: performance.eventLoopUtilization() }
  }

  const at = (due: number, fn: () => void): void => {
    if (stopped) return
    const timer = setTimeout(() => { timers.delete(timer); if (!stopped) fn() }, Math.max(0, due - performance.now()))
    timers.add(timer)
  }

  const request = async (base: string, method: string, path: string, token: string, body?: string): Promise<Reply> => {
    inFlight++
    try {
      return await new Promise<Reply>((resolve) => {
        const headers: Record<string, string | number> = { authorization: `Bearer ${token}` }
        if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        const req = http.request(`${base}${path}`, { method, agent, headers, timeout: 30_000 }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => { text += chunk })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
          res.on('error', () => resolve({ status: 0, body: '' }))
        })
        req.on('timeout', () => req.destroy(new Error('timeout')))
        req.on('error', () => resolve({ status: 0, body: '' }))
        req.end(body)
      })
    } finally {
      inFlight--
    }
  }

  /** Counts a reply in the window; answers true when it is a success. */
  const count = (reply: Reply, due: number, sentAt: number, into: number[]): boolean => {
    const now = performance.now()
    if (due < window.from) return reply.status >= 200 && reply.status < 300
    window.lag.push(sentAt - due)
    if (reply.status >= 200 && reply.status < 300) {
      into.push(now - due)
      return true
    }
    window.errors++
    const key = reply.status === 0 ? 'socket' : String(reply.status)
    window.statusCounts[key] = (window.statusCounts[key] ?? 0) + 1
    return false
  }

  function step (s: Student, reply: Reply): void {
    const parsed = JSON.parse(reply.body) as { session: { id: string }, item: { id: string, options: string[] } | null }
    s.sessionId = parsed.session.id
    if (parsed.item === null) {
      // The session ended: the student starts the next exam right away.
      s.itemId = null
      s.examIndex++
      start(s, performance.now())
      return
    }
    s.itemId = parsed.item.id
    s.options = parsed.item.options.length
    const due = performance.now() + exponential(config!.thinkMeanS * 1000)
    at(due, () => { answer(s, due) })
  }

  /** Starts (or resumes) the student's current exam; a 409 means it is finished, so the next one. */
  function start (s: Student, due: number, first = false): void {
    const examId = config!.examIds[s.examIndex]
    if (examId === undefined) { finished++; activeStudents--; return }
    at(due, () => {
      const sentAt = performance.now()
      void request(config!.examUrl, 'POST', `/exam/exams/${examId}/sessions`, s.token).then((reply) => {
        if (first) arriving--
        if (count(reply, due, sentAt, window.starts)) { started++; step(s, reply); return }
        if (reply.status === 409) s.examIndex++
        start(s, performance.now() + exponential(config!.thinkMeanS * 1000))
      })
    })
  }

  function answer (s: Student, due: number): void {
    const sentAt = performance.now()
    if (s.itemId === null || s.sessionId === null) { start(s, due); return }
    const body = JSON.stringify({ itemId: s.itemId, optionIndex: Math.floor(Math.random() * s.options), timeTakenMs: config!.answerTimeMs })
    void request(config!.examUrl, 'POST', `/exam/sessions/${s.sessionId}/answers`, s.token, body).then((reply) => {
      if (count(reply, due, sentAt, window.answers)) {
        s.recorded++
        maybeProbe(s)
        step(s, reply)
        return
      }
      // Anything else: resume the session at the next think time (a resume returns the item to answer).
      s.itemId = null
      start(s, performance.now() + exponential(config!.thinkMeanS * 1000))
    })
  }

  /** Times how long until analytics' view of the student counts the answer just recorded. */
  function maybeProbe (s: Student): void {
    const c = config!
    const answersPerS = activeStudents / c.thinkMeanS
    if (probes >= PROBE_LIMIT || answersPerS <= 0 || Math.random() >= c.probesPerS / answersPerS) return
    probes++
    // The window the answer was recorded in counts the probe, however long analytics takes.
    const w = window
    w.probing++
    const recordedAt = performance.now()
    const expected = s.recorded * c.answerTimeMs
    const poll = (): void => {
      void request(c.analyticsUrl, 'GET', `/analytics/students/${s.userId}?days=1`, s.token).then((reply) => {
        const now = performance.now()
        const seen = reply.status === 200 && (JSON.parse(reply.body) as { timeSpentMs: number }).timeSpentMs >= expected
        if (seen || now - recordedAt > PROBE_TIMEOUT_MS) {
          probes--
          w.probing--
          if (seen) w.freshness.push(now - recordedAt)
          else w.stale++
          return
        }
        at(now + PROBE_POLL_MS, poll)
      })
    }
    poll()
  }

  function teacher (t: OpenLoopTeacher, due: number): void {
    at(due, () => {
      const sentAt = performance.now()
      void request(config!.analyticsUrl, 'GET', `/analytics/classrooms/${t.classroomId}`, t.token).then((reply) => { count(reply, due, sentAt, window.reads) })
      // On schedule, whether or not the last read has come back.
      teacher(t, due + config!.teacherPollS * 1000)
    })
  }

  return {
    ramp: async (job: OpenLoopRamp): Promise<void> => {
      config = job
      stopped = false
      const t0 = performance.now()
      const spacing = (job.rampS * 1000) / Math.max(1, job.students.length)
      job.students.forEach((st, i) => {
        const s: Student = { ...st, examIndex: 0, sessionId: null, itemId: null, options: 4, recorded: 0 }
        activeStudents++
        arriving++
        start(s, t0 + i * spacing, true)
      })
      const teacherSpacing = (job.rampS * 1000) / Math.max(1, job.teachers.length)
      job.teachers.forEach((t, i) => {
        activeTeachers++
        // A random phase, so the classrooms' polls do not all fall on the same instant.
        teacher(t, t0 + i * teacherSpacing + Math.random() * job.teacherPollS * 1000)
      })
      await new Promise((resolve) => setTimeout(resolve, job.rampS * 1000))
      // Until every arrival's first start is answered (a minute at most): the window that follows then measures
      // students who are all answering, not a queue of starts.
      const deadline = performance.now() + 60_000
      while (arriving > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    },
    hold: async (holdS: number): Promise<OpenLoopStats> => {
      window = newWindow()
      const w = window
      await new Promise((resolve) => setTimeout(resolve, holdS * 1000))
      const elapsedS = (performance.now() - w.from) / 1000
      const utilization = performance.eventLoopUtilization(w.elu).utilization
      // Answers and reads completed in the window count; the window's own probes are waited for.
      const answers = w.answers.length
      const starts = w.starts.length
      const reads = w.reads.length
      window = newWindow()
      while (w.probing > 0) await new Promise((resolve) => setTimeout(resolve, 50))
      return {
        elapsedS,
        activeStudents,
        activeTeachers,
        answers: { ok: answers, samples: w.answers.slice(0, answers) },
        starts: { ok: starts, samples: w.starts.slice(0, starts) },
        reads: { ok: reads, samples: w.reads.slice(0, reads) },
        sessionsStarted: started,
        freshness: w.freshness,
        stale: w.stale,
        lag: w.lag,
        errors: w.errors,
        statusCounts: w.statusCounts,
        finished,
        eventLoopUtilization: utilization,
        inFlight
      }
    },
    stop: async (): Promise<void> => {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      const deadline = performance.now() + 10_000
      while (inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      agent.destroy()
      activeStudents = 0
      activeTeachers = 0
      finished = 0
      probes = 0
      arriving = 0
      started = 0
    }
  }
}
