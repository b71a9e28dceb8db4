// One row per scenario: the measurement, the floor measured in the same run beside it, their ratio and the
// target it is held to. Printed as one table and written as JSON.
import os from 'node:os'
import type { LoadResult } from './load/jobs.js'
import { formatCapacity, type CapacityReport } from './capacity-table.js'

export interface Measure {
  throughput: number
  unit: string
  p50: number
  p95: number
  p99: number
  errors: number
  /** How many were measured (responses, mails, messages). */
  count: number
  /** Answers by status, when some were errors. */
  statuses?: Record<string, number>
}

export interface Target {
  text: string
  met: boolean
}

export interface Row {
  id: string
  scenario: string
  measured: Measure | null
  baselineName: string | null
  baseline: Measure | null
  /** measured throughput / baseline throughput */
  ratio: number | null
  target: Target | null
  notes: string[]
  /** Counts beside the timings that say what was measured (e.g. analytics' cache hits and misses). */
  counts?: Record<string, number>
  /** Why the scenario did not run. */
  skipped?: string
}

export interface MemoryRow {
  process: string
  rssBeforeMb: number
  rssAfterMb: number
  rssPeakMb: number
}

export interface Report {
  startedAt: string
  elapsedS: number
  machine: { cpus: number, cpuModel: string, memoryGb: number, node: string, platform: string }
  settings: { short: boolean, durationS: number, warmupS: number, bankSize: number, relayEvents: number, ingestEvents: number, argon2: { m: number, t: number, p: number } }
  rows: Row[]
  memory: MemoryRow[]
  /** The capacity scenario's steps (its row in `rows` holds the figure). */
  capacity?: CapacityReport
}

export const fromLoad = (r: LoadResult, unit = 'req/s'): Measure => ({
  throughput: r.throughput, unit, p50: r.latencyMs.p50, p95: r.latencyMs.p95, p99: r.latencyMs.p99, errors: r.errors, count: r.ok,
  ...(r.errors > 0 ? { statuses: r.statusCounts } : {})
})

export const ratioOf = (measured: Measure | null, baseline: Measure | null): number | null =>
  measured === null || baseline === null || baseline.throughput === 0 ? null : measured.throughput / baseline.throughput

export function machine (): Report['machine'] {
  const cpus = os.cpus()
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.type()} ${os.release()}` }
}

const f = (n: number | undefined | null, digits = 1): string => n === undefined || n === null || !Number.isFinite(n) ? '—' : n >= 1000 ? Math.round(n).toString() : n.toFixed(digits)

function cells (m: Measure | null): string[] {
  if (m === null) return ['—', '—', '—', '—', '—']
  return [`${f(m.throughput)} ${m.unit}`, f(m.p50), f(m.p95), f(m.p99), String(m.errors)]
}

export function formatTable (report: Report): string {
  const header = ['#', 'scenario', 'throughput', 'p50 ms', 'p95 ms', 'p99 ms', 'err', 'baseline', 'throughput', 'p50 ms', 'p95 ms', 'p99 ms', 'err', 'ratio', 'target', '']
  const lines: string[][] = [header]
  for (const row of report.rows) {
    if (row.skipped !== undefined) {
      lines.push([row.id, row.scenario, ...cells(null), row.skipped, '', '', '', '', '', '—', row.target?.text ?? '—', 'skipped'])
      continue
    }
    lines.push([row.id, row.scenario, ...cells(row.measured), row.baselineName ?? '—', ...cells(row.baseline), row.ratio === null ? '—' : row.ratio.toFixed(2), row.target?.text ?? 'info', row.target === null ? '' : row.target.met ? 'met' : 'MISSED'])
  }
  for (const m of report.memory) {
    lines.push(['7', `RSS ${m.process}`, `${f(m.rssAfterMb)} MB after`, '', '', '', '', `${f(m.rssBeforeMb)} MB before`, `peak ${f(m.rssPeakMb)} MB`, '', '', '', '', (m.rssAfterMb / m.rssBeforeMb).toFixed(2), 'info', ''])
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)))
  const render = (l: string[]): string => l.map((c, i) => i <= 1 || i === 7 || i === 14 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join('  ').trimEnd()
  const out = [render(lines[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...lines.slice(1).map(render)]
  const notes = report.rows.flatMap((r) => [
    ...r.notes.map((n) => `  ${r.id}: ${n}`),
    ...[r.measured, r.baseline].filter((m) => m?.statuses !== undefined).map((m) => `  ${r.id}: errors, answers by status: ${JSON.stringify(m!.statuses)}`)
  ])
  const m = report.machine
  return [
    `DreamSeed bench — ${report.startedAt}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, node ${m.node}; ${report.settings.durationS} s per measurement after ${report.settings.warmupS} s warm-up${report.settings.short ? ' (short mode: not for comparing)' : ''}; ${f(report.elapsedS, 0)} s in all`,
    '',
    ...out,
    '',
    'notes:',
    ...notes,
    ...(report.capacity === undefined ? [] : ['', formatCapacity(report.capacity)])
  ].join('\n')
}
