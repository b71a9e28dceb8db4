// Reads the repository's TypeScript as text: which files there are and what each imports. Enough to check the
// code's shape without building it; a regular expression per line, so hostile formatting could hide an import,
// but our own code is formatted by the linter.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const SERVICES = ['auth', 'exam', 'analytics', 'notification']

/** Every .ts file below dir (relative to the repository), node_modules and dist left out. */
export function tsFiles (dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
      const path = join(d, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(ROOT, path))
    }
  }
  walk(join(ROOT, dir))
  return out
}

export const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

export interface Import {
  specifier: string
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

export function importsOf (file: string): Import[] {
  const text = read(file)
  const out: Import[] = []
  for (const m of text.matchAll(IMPORT)) out.push({ specifier: m[3]!, typeOnly: m[2] !== undefined })
  for (const m of text.matchAll(DYNAMIC)) out.push({ specifier: m[1]!, typeOnly: false })
  return out
}

/** The file a relative specifier names ('./x.js' → x.ts or x/index.ts), or undefined for a package. */
export function resolveRelative (from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = join(dirname(from), specifier).replace(/\.js$/, '')
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return candidate
  }
  return undefined
}

/** Import cycles among files, each as the files on it in order (Tarjan's strongly connected components). */
export function cycles (files: string[]): string[][] {
  const edges = new Map(files.map((f) => [f, importsOf(f).map((i) => resolveRelative(f, i.specifier)).filter((x): x is string => x !== undefined)]))
  let index = 0
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    indexOf.set(v, index); low.set(v, index); index++
    stack.push(v); onStack.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!indexOf.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!))
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = []
      let w: string
      do { w = stack.pop()!; onStack.delete(w); component.push(w) } while (w !== v)
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.reverse())
    }
  }
  for (const f of files) if (!indexOf.has(f)) visit(f)
  return found
}
