// Liveness (the process answers) and readiness (its dependencies answer), on the operational port. A
// dependency marked non-critical makes the service "degraded" but still ready: auth keeps registering users
// while NATS is down, because the outbox holds the events until it is back. The answer names each dependency
// and says up or down, nothing more: why one is down (a host, a user name, a driver's message) goes to the log.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface HealthCheck {
  name: string
  critical: boolean
  check: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    health: { add: (check: HealthCheck) => void, run: () => Promise<ReadinessReport> }
  }
}

export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'unavailable'
  checks: Record<string, 'up' | 'down'>
}

const CHECK_TIMEOUT_MS = 2000

async function withTimeout (fn: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([fn(), new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS) })])
  } finally {
    clearTimeout(timer)
  }
}

export const healthPlugin = fp(async (app: FastifyInstance) => {
  const checks: HealthCheck[] = []
  // Only to log a change once, not at every probe: nothing the service does depends on it.
  const lastUp = new Map<string, boolean>()
  const run = async (): Promise<ReadinessReport> => {
    const results = await Promise.all(checks.map(async (c) => {
      let up = true
      try {
        await withTimeout(c.check)
      } catch (err) {
        up = false
        if (lastUp.get(c.name) !== false) app.log.warn({ err, check: c.name, critical: c.critical }, 'readiness: dependency down')
      }
      if (up && lastUp.get(c.name) === false) app.log.info({ check: c.name }, 'readiness: dependency up again')
      lastUp.set(c.name, up)
      return { check: c, up }
    }))
    const report: ReadinessReport = { status: 'ready', checks: {} }
    for (const { check, up } of results) {
      report.checks[check.name] = up ? 'up' : 'down'
      if (!up && check.critical) report.status = 'unavailable'
      else if (!up && report.status === 'ready') report.status = 'degraded'
    }
    return report
  }
  app.decorate('health', { add: (check: HealthCheck) => { checks.push(check) }, run })
  app.ops.get('/health/live', async () => ({ status: 'ok' }))
  app.ops.get('/health/ready', async (_request, reply) => {
    const report = await run()
    return reply.code(report.status === 'unavailable' ? 503 : 200).send(report)
  })
}, { name: 'dreamseed-health', fastify: '5.x', dependencies: ['dreamseed-ops'] })
