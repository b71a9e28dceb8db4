// Starts notification: reads and checks the config (exiting with the list of problems), builds the app, listens.
import { ConfigError, listen } from '@dreamseed/kit'
import { buildApp } from './app.js'
import { loadNotificationConfig } from './config.js'

let config
try {
  config = loadNotificationConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`notification: ${err.message}\n`)
  process.exit(1)
}
const app = await buildApp(config)
await listen(app, config)
