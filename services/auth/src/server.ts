// Starts auth: checks the config (exiting with the list of problems), builds the app, listens.
import { runService } from '@dreamseed/kit'
import { buildApp } from './app.js'
import { loadAuthConfig } from './config.js'

await runService('auth', loadAuthConfig, async (config) => await buildApp(config))
