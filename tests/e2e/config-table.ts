// Each service's README holds its settings table between two markers, generated from the service's own setting
// declarations: `pnpm --filter @dreamseed/e2e run config-table` rewrites the tables in place, and a test checks
// they are still true.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Setting } from '@dreamseed/kit'
import { authSettings } from '@dreamseed/auth'
import { notificationSettings } from '@dreamseed/notification'
import { examSettings } from '@dreamseed/exam'
import { analyticsSettings } from '@dreamseed/analytics'

export const SERVICES: Record<string, Record<string, Setting<unknown>>> = { auth: authSettings, exam: examSettings, analytics: analyticsSettings, notification: notificationSettings }

export const TABLE_BEGIN = '<!-- settings-table:begin -->'
export const TABLE_END = '<!-- settings-table:end -->'

/** The README that documents a service, relative to the repository root. */
export const serviceReadme = (name: string): string => `services/${name}/README.md`

export const fromRoot = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

function defaultText (s: Setting<unknown>): string {
  if (s.defaultDoc !== undefined) return s.defaultDoc
  if (s.default === undefined) return s.when === undefined ? '(required)' : '(required when it applies)'
  if (typeof s.default === 'function') return '(computed)'
  return Array.isArray(s.default) ? s.default.join(',') : String(s.default)
}

export function configTable (settings: Record<string, Setting<unknown>>): string {
  const rows = Object.values(settings).map((s) => {
    const flags = [s.requiredInProduction === true ? 'required in production' : '', s.secret === true ? 'secret' : ''].filter(Boolean).join(', ')
    return `| \`${s.env}\` | \`${defaultText(s)}\` | ${s.description}${flags === '' ? '' : ` (${flags})`} |`
  })
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n')
}

/** Where a README's table sits: the offsets just inside its markers, or why it cannot be found. */
export function tableSpan (readme: string): { start: number, end: number } | { problem: string } {
  const begins = readme.split(TABLE_BEGIN).length - 1
  const ends = readme.split(TABLE_END).length - 1
  if (begins !== 1 || ends !== 1) return { problem: `expected one ${TABLE_BEGIN} and one ${TABLE_END}, found ${begins} and ${ends}` }
  const start = readme.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length
  const end = readme.indexOf(TABLE_END)
  return end < start ? { problem: `${TABLE_END} comes before ${TABLE_BEGIN}` } : { start, end }
}

/** The text between the markers when the table is current: the table on lines of its own. */
export const tableBlock = (settings: Record<string, Setting<unknown>>): string => `\n${configTable(settings)}\n`

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, settings] of Object.entries(SERVICES)) {
    const path = fromRoot(serviceReadme(name))
    const readme = readFileSync(path, 'utf8')
    const span = tableSpan(readme)
    if ('problem' in span) throw new Error(`${serviceReadme(name)}: ${span.problem}`)
    const next = readme.slice(0, span.start) + tableBlock(settings) + readme.slice(span.end)
    if (next !== readme) writeFileSync(path, next)
    process.stdout.write(`${serviceReadme(name)}: ${next === readme ? 'current' : 'rewritten'}\n`)
  }
}
