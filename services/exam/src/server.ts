// Starts exam: checks the config (exiting with the list of problems), builds the app, listens.
import { runService } from '@dreamseed/kit'
import { buildApp } from './app.js'
import { loadExamConfig } from './config.js'

await runService('exam', loadExamConfig, async (config) => await buildApp(config))
