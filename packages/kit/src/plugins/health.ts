// Liveness (the process answers) and readiness (its dependencies answer). A dependency marked non-critical
// makes the service "degraded" but still ready: auth keeps registering users while NATS is down, because
// the outbox holds the events until it is back.
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
  checks: Record<string, { ok: boolean, critical: boolean, error?: string }>
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
  const run = async (): Promise<ReadinessReport> => {
    const results = await Promise.all(checks.map(async (c) => {
      try {
        await withTimeout(c.check)
        return [c.name, { ok: true, critical: c.critical }] as const
      } catch (err) {
        return [c.name, { ok: false, critical: c.critical, error: (err as Error).message }] as const
      }
    }))
    const report: ReadinessReport = { status: 'ready', checks: Object.fromEntries(results) }
    for (const [, r] of results) {
      if (!r.ok && r.critical) report.status = 'unavailable'
      else if (!r.ok && report.status === 'ready') report.status = 'degraded'
    }
    return report
  }
  app.decorate('health', { add: (check: HealthCheck) => { checks.push(check) }, run })
  app.get('/health/live', async () => ({ status: 'ok' }))
  app.get('/health/ready', async (_request, reply) => {
    const report = await run()
    return reply.code(report.status === 'unavailable' ? 503 : 200).send(report)
  })
}, { name: 'dreamseed-health', fastify: '5.x' })
