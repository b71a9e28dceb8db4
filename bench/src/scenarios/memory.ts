// Scenario 7: each process's resident memory when idle before the load, its peak during it, and after it.
import type { NodeProcess } from '../processes.js'
import type { MemoryRow } from '../report.js'

export interface MemoryWatch { stop: () => MemoryRow[] }

const mb = (bytes: number): number => bytes / 1024 / 1024

export function watchMemory (processes: NodeProcess[], intervalMs = 500): MemoryWatch {
  const before = new Map(processes.map((p) => [p.name, p.rss()]))
  const peak = new Map(before)
  const timer = setInterval(() => {
    for (const p of processes) peak.set(p.name, Math.max(peak.get(p.name) ?? 0, p.rss()))
  }, intervalMs)
  return {
    stop: () => {
      clearInterval(timer)
      return processes.map((p) => {
        const after = p.rss()
        return { process: p.name, rssBeforeMb: mb(before.get(p.name) ?? 0), rssAfterMb: mb(after), rssPeakMb: mb(Math.max(peak.get(p.name) ?? 0, after)) }
      })
    }
  }
}
