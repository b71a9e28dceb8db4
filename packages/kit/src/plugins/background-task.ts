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
