// A Dockerfile per service (services/<name>/Dockerfile), rendered from the root recipe so that they cannot
// drift from it, and each one what an image of ours must be: multi-stage, a Node LTS base, production
// dependencies only (pnpm deploy --prod), no package manager left, a numeric non-root user, one process
// (node itself), its own ports only (the API's and the ops one). What the recipe runs is built and started without Docker by
// image-recipe.test.ts.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, SERVICES } from './helper.js'

t.test('every service\'s Dockerfile is the root recipe rendered for it', async (t) => {
  const check = spawnSync(process.execPath, ['infra/image/render-dockerfiles.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' })
  t.equal(check.status, 0, `in sync with the root Dockerfile ${check.stderr}`)
})

for (const { name, port, opsPort } of SERVICES) {
  t.test(`services/${name}/Dockerfile`, async (t) => {
    const text = readFileSync(join(ROOT, 'services', name, 'Dockerfile'), 'utf8')
    const lines = text.split('\n')
    const froms = lines.filter((l) => l.startsWith('FROM '))
    t.ok(froms.length >= 3, `multi-stage (${froms.length} stages)`)
    t.match(text, /^ARG NODE_IMAGE=node:(20|22|24)-[a-z]+-slim$/m, 'a Node LTS slim base')
    t.same(lines.filter((l) => l.startsWith('ARG SERVICE')), [`ARG SERVICE=${name}`, `ARG SERVICE=${name}`], 'built for this service')
    t.match(text, /pnpm-deploy\.sh \/out "\$SERVICE"/, 'production dependencies only, through pnpm deploy')
    const runtime = text.slice(text.indexOf('AS runtime'))
    t.match(runtime, /rm -rf \/usr\/local\/lib\/node_modules\/npm/, 'npm removed from the runtime image')
    t.match(runtime, /^USER 1000:1000$/m, 'a numeric non-root user')
    t.same(lines.filter((l) => l.startsWith('EXPOSE ')), [`EXPOSE ${port} ${opsPort}`], 'its own ports only: the API\'s and the ops one')
    t.equal(lines.filter((l) => l.startsWith('CMD ')).at(-1), 'CMD ["node", "dist/server.js"]', 'one process: node, which handles SIGTERM')
    t.notMatch(text, /AS (migrate|streams)\b/, 'the Jobs\' stages stay in the root recipe')
  })
}
