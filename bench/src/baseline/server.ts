// Starts the baseline server as its own process, the way a service's server.ts starts it.
import { runService } from '@dreamseed/kit'
import { loadBaselineConfig } from './config.js'
import { buildBaseline } from './app.js'

await runService('bench-baseline', loadBaselineConfig, buildBaseline)
