#!/usr/bin/env node
// Writes services/<name>/Dockerfile for every service from the root Dockerfile, the one recipe we edit: the
// same stages with the service fixed (ARG SERVICE=<name>), only its own ports exposed (API and ops), and the Jobs' stages
// left out. `node infra/image/render-dockerfiles.mjs --check` fails when a committed file differs
// (tests/deploy runs it), so the per-service files can never drift from the recipe.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Each service's API port and ops port (OPS_PORT), as its config.ts defaults them. */
export const SERVICE_PORTS = { auth: [3001, 9001], exam: [3002, 9002], analytics: [3003, 9003], notification: [3004, 9004] }

/** The Dockerfile of one service, from the root recipe's text. */
export function renderDockerfile (recipe, name, [port, opsPort]) {
  const stages = recipe.split(/\n(?=FROM )/)
  const [head, ...rest] = stages
  const syntax = head.split('\n')[0]
  const args = head.split('\n').filter((l) => l.startsWith('ARG '))
  const kept = rest.filter((s) => !/^FROM \S+ AS (setup-output|migrate|streams)\b/.test(s))
  const header = [
    syntax,
    `# ${name}'s image. Generated from the root Dockerfile by infra/image/render-dockerfiles.mjs: edit that`,
    '# recipe and run the script; a test fails when this file differs. Build from the repository root:',
    `#   docker build -f services/${name}/Dockerfile -t REGISTRY/dreamseed/${name}:TAG .`,
    ...args,
    ''
  ].join('\n')
  const body = kept.join('\n')
    .replace(/^ARG SERVICE$/gm, `ARG SERVICE=${name}`)
    .replace(/^EXPOSE .*$/m, `EXPOSE ${port} ${opsPort}`)
    .replace(/^# Each service's API port and its ops port .*\n/m, '')
    .replace(/^# Last, so a plain .*\n/m, '')
  return `${header}\n${body}`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  const recipe = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  let stale = 0
  for (const [name, ports] of Object.entries(SERVICE_PORTS)) {
    const file = join(ROOT, 'services', name, 'Dockerfile')
    const text = renderDockerfile(recipe, name, ports)
    let current = ''
    try { current = readFileSync(file, 'utf8') } catch {}
    if (current === text) continue
    if (check) { console.error(`services/${name}/Dockerfile differs from the root recipe: run node infra/image/render-dockerfiles.mjs`); stale++ } else { writeFileSync(file, text); console.log(`wrote services/${name}/Dockerfile`) }
  }
  process.exit(stale > 0 ? 1 : 0)
}
