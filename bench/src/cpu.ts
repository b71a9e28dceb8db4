// CPU time as the kernel counts it (/proc), for the scenarios that say where the time went: a process's own
// (relays, Postgres backends, the proxy) and the whole machine's, all cores and all processes.
import { readdirSync, readFileSync } from 'node:fs'

// /proc's clock ticks (USER_HZ), the unit of /proc/stat and /proc/<pid>/stat.
const TICK_MS = 10

/** All cores' CPU time from /proc/stat, busy and in all, in ticks. */
export function machineTicks (): { busy: number, all: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[]
  const all = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!
  return { busy: all - idle! - iowait!, all }
}

/** CPU time a process has used, in ms (0 once it is gone). */
export function processCpuMs (pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return 0
  }
}

/** The processes whose command line holds `part` (e.g. a config file's path that names one run's process). */
export function pidsWith (part: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try { return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(part) } catch { return false }
  }).map(Number)
}

/** The process running `name` (its /proc comm), e.g. the machine's nats-server. */
export function pidNamed (name: string): number | undefined {
  const found = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((d) => {
    try { return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name } catch { return false }
  })
  return found === undefined ? undefined : Number(found)
}
