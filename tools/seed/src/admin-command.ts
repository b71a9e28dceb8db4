// auth's admin:create, run as an operator runs it: `pnpm --filter @dreamseed/auth run admin:create`, the
// password through ADMIN_PASSWORD (out of the process list). DATABASE_URL and REDIS_URL come from env.
import { spawn } from 'node:child_process'
import type { SeedOptions } from './seed.js'

export function adminCreateCommand (env: NodeJS.ProcessEnv = process.env): SeedOptions['createAdmin'] {
  return async (account) => {
    const child = spawn('pnpm', ['--silent', '--filter', '@dreamseed/auth', 'run', 'admin:create', '--', '--email', account.email, '--name', account.name, '--organization', account.organization], {
      env: { ...env, ADMIN_PASSWORD: account.password },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
    const code = await new Promise<number | null>((resolve, reject) => { child.once('error', reject); child.once('exit', resolve) })
    if (code !== 0) throw new Error(`admin:create for ${account.email} exited with ${code}:\n${output.trim()}`)
  }
}
