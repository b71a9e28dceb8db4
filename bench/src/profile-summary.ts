// Reads a V8 CPU profile and prints where the time went: the functions with the most self time, and the same
// time summed per package or file. `pnpm bench --cpu-prof=exam` writes a folder per process
// (results/profiles/exam/), one profile per thread; given the folder, this reads the busiest one (the main
// thread, not tsx's loader).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

interface Node { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number, children?: number[] }
interface Profile { nodes: Node[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

const files = process.argv.slice(2).filter((a) => a !== '--')
if (files.length === 0) {
  process.stderr.write('usage: profile-summary FILE.cpuprofile [TOP]\n')
  process.exit(1)
}
const top = Number(files[1] ?? 25)

const busy = (p: Profile): number => {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  return p.samples.reduce((a, s, i) => a + (idle.has(s) ? 0 : (p.timeDeltas[i] ?? 0)), 0)
}
const candidates = statSync(files[0]!).isDirectory()
  ? readdirSync(files[0]!).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(files[0]!, f))
  : [files[0]!]
const [file, profile] = candidates.map((f) => [f, JSON.parse(readFileSync(f, 'utf8')) as Profile] as const).sort((a, b) => busy(b[1]) - busy(a[1]))[0]!
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0))
const total = [...self.values()].reduce((a, b) => a + b, 0)

const where = (url: string): string => {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return pkg[1]!
  const ours = /\/(services|packages|bench)\/(.+)$/.exec(url)
  if (ours !== null) return `${ours[1]}/${ours[2]}`
  return url === '' ? '(native / idle / gc)' : url.replace(/^node:/, 'node:')
}

const functions = new Map<string, number>()
const places = new Map<string, number>()
for (const [id, us] of self) {
  const node = byId.get(id)!
  const place = where(node.callFrame.url)
  const name = `${node.callFrame.functionName || '(anonymous)'}  ${place}${node.callFrame.url === '' ? '' : `:${node.callFrame.lineNumber + 1}`}`
  functions.set(name, (functions.get(name) ?? 0) + us)
  const group = place.startsWith('services/') || place.startsWith('packages/') ? place : place.split('/')[0]!
  places.set(group, (places.get(group) ?? 0) + us)
}
const pct = (us: number): string => `${((100 * us) / total).toFixed(1).padStart(5)}%`
const print = (title: string, map: Map<string, number>): void => {
  process.stdout.write(`\n${title}\n`)
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)
}
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy(profile) / 1e6).toFixed(1)} s busy\n`)
print('self time by package or file', places)
print('self time by function', functions)
