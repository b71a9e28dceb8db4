// The baseline server's settings, declared with the kit's one config loader like every service's.
import { authenticationSettings, commonSettings, loadConfig, parse, redisSettings, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const baselineSettings = {
  ...commonSettings({ port: 3099, opsPort: 9099, service: 'bench-baseline' }),
  ...redisSettings,
  ...authenticationSettings,
  // Read by the bench from a hash auth itself stored, so the floor hashes exactly as auth does.
  argon2MemoryCost: setting({ env: 'BENCH_ARGON2_M', description: 'argon2id memory cost (KiB), as auth hashes', parse: parse.int(8, 4_194_304) }),
  argon2TimeCost: setting({ env: 'BENCH_ARGON2_T', description: 'argon2id passes, as auth hashes', parse: parse.int(1, 100) }),
  argon2Parallelism: setting({ env: 'BENCH_ARGON2_P', description: 'argon2id lanes, as auth hashes', parse: parse.int(1, 64) })
}

export type BaselineConfig = ReturnType<typeof loadBaselineConfig>

export function loadBaselineConfig (env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(baselineSettings, env)
}
