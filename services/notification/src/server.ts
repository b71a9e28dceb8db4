// Starts notification: checks the config (exiting with the list of problems), builds the app, listens.
import { runService } from '@dreamseed/kit'
import { buildApp } from './app.js'
import { loadNotificationConfig } from './config.js'

await runService('notification', loadNotificationConfig, async (config) => await buildApp(config))
