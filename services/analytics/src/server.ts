// Starts analytics: checks the config (exiting with the list of problems), builds the app, listens.
import { runService } from '@dreamseed/kit'
import { buildApp } from './app.js'
import { loadAnalyticsConfig } from './config.js'

await runService('analytics', loadAnalyticsConfig, async (config) => await buildApp(config))
