// Runs a long-lived task (outbox relay, event consumer, cleanup job) for the life of the app: started once
// the app is ready, stopped when it closes, before the connections it uses are closed.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface BackgroundTask {
  stop: () => Promise<void>
}

export interface BackgroundTaskOptions<T extends BackgroundTask> {
  name: string
  start: (app: FastifyInstance) => T
  /** Called with the started task, e.g. to decorate the app with it. */
  onStarted?: (task: T) => void
}

export const backgroundTaskPlugin = fp(async <T extends BackgroundTask>(app: FastifyInstance, options: BackgroundTaskOptions<T>) => {
  let task: T | undefined
  app.addHook('onReady', async () => {
    task = options.start(app)
    options.onStarted?.(task)
    app.log.info({ task: options.name }, 'background task started')
  })
  app.addHook('onClose', async () => {
    if (task !== undefined) await task.stop()
    app.log.debug({ task: options.name }, 'background task stopped')
  })
}, { fastify: '5.x' })

export interface ConsumerTask extends BackgroundTask {
  /** Resolves once the task is at work (a consumer: its durable exists and messages are pulled). */
  started: Promise<void>
}

export interface ConsumerHandle {
  /** Resolves once the consumer is at work (tests wait on it before publishing). */
  started: () => Promise<void>
}

/**
 * An event consumer for the life of the app: a background task, a readiness check that reports it (as
 * degraded, not down: the routes still answer while it catches up) and a handle tests can wait on.
 */
export async function registerConsumer<T extends ConsumerTask> (app: FastifyInstance, options: BackgroundTaskOptions<T>): Promise<ConsumerHandle> {
  let task: T | undefined
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => { markStarted = resolve })
  await app.register(backgroundTaskPlugin, {
    name: options.name,
    start: options.start,
    onStarted: (t: T) => { task = t; options.onStarted?.(t); void t.started.then(markStarted) }
  })
  app.health.add({ name: options.name, critical: false, check: async () => { if (task === undefined) throw new Error('not started') } })
  return { started: async () => { await started } }
}
