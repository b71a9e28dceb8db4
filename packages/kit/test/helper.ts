// Builds a bare kit app (no service routes) for testing the shared plugins.
import { captureLogger } from '@dreamseed/testing'
import { createFastify, kitPlugin } from '../src/index.js'

export async function buildKitApp (t: { teardown: (fn: () => unknown) => void }, register?: (app: ReturnType<typeof createFastify>) => Promise<void> | void) {
  const log = captureLogger('info')
  const app = createFastify({ serviceName: 'kit-test', logLevel: 'info', bodyLimit: 1024, logger: log.logger })
  await app.register(kitPlugin)
  if (register !== undefined) await register(app)
  await app.ready()
  t.teardown(async () => { await app.close() })
  return { app, log }
}
