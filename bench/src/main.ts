// `pnpm bench`: starts the services on a database and event namespace of their own, loads them from a
// separate process, and prints one table (and writes results/latest.json) where every measurement stands
// beside a floor measured in the same run. Timings only mean something as those ratios.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readOptions } from './options.js'
import { startPlatform } from './platform.js'
import { formatTable, machine, type Report, type Row } from './report.js'
import { login, registration, SATURATION_CONNECTIONS, verifiedUsers } from './scenarios/passwords.js'
import { answerNext, authenticatedRead, drizzleInsert, STUDENTS, tokenOnly } from './scenarios/exam.js'
import { registrationToMail, relayRate } from './scenarios/events.js'
import { analyticsReads, ingestRate } from './scenarios/analytics.js'
import { freshness } from './scenarios/freshness.js'
import { relayShare } from './scenarios/relays.js'
import { answerThroughReplicas } from './scenarios/exam-replicas.js'
import { watchMemory } from './scenarios/memory.js'
import { capacity } from './scenarios/capacity.js'
import type { CapacityReport } from './capacity-table.js'
import { setUpSchool, type School } from './school.js'

const log = (line: string): void => { process.stderr.write(`${line}\n`) }

const options = readOptions()
const wanted = (id: string): boolean => options.only.length === 0 || options.only.includes(id) || options.only.includes(id.replace(/[a-z]$/, ''))
const startedAt = new Date()
const t0 = performance.now()
mkdirSync(options.outDir, { recursive: true })
log(`bench: ${options.short ? 'short mode, ' : ''}${options.durationS} s per measurement after ${options.warmupS} s warm-up${options.only.length > 0 ? `; only ${options.only.join(', ')}` : ''}`)

const platform = await startPlatform(options, log)
const rows: Row[] = []
let report: Report | undefined
try {
  const memory = watchMemory(platform.processes())

  // 1, 2: the password hash is the floor.
  let saturatedRegistrations: number | undefined
  if (wanted('1a')) {
    const row = await registration(platform, '1a', SATURATION_CONNECTIONS, log)
    saturatedRegistrations = row.measured?.throughput
    rows.push(row)
  }
  if (wanted('1b')) rows.push(await registration(platform, '1b', 50, log))
  if (wanted('2a') || wanted('2b')) {
    const emails = await verifiedUsers(platform, 500)
    if (wanted('2a')) rows.push(await login(platform, '2a', SATURATION_CONNECTIONS, emails, log))
    if (wanted('2b')) rows.push(await login(platform, '2b', 50, emails, log))
  }

  // 3, 4: the exam service (4p: its replicas behind HAProxy), with a school of 50 students and a 10 000-item bank (5 reuses it).
  let school: School | undefined
  const schoolNow = async (): Promise<School> => {
    if (school === undefined) {
      log('setting up the school')
      school = await setUpSchool(platform, { students: STUDENTS, bankSize: options.bankSize, exams: options.short ? 4 : 12, maxItems: 200 }, log)
    }
    return school
  }
  if (wanted('3')) rows.push(await authenticatedRead(platform, await schoolNow(), log))
  if (wanted('3i')) rows.push(await tokenOnly(platform, await schoolNow(), log))
  if (wanted('4')) rows.push(await answerNext(platform, await schoolNow(), log))
  if (wanted('4i')) rows.push(await drizzleInsert(platform, log))
  if (wanted('4p')) rows.push(await answerThroughReplicas(platform, await schoolNow(), log))

  // 5: analytics reads, once the school's students have completed exams and analytics has applied them.
  if (wanted('5a') || wanted('5b') || wanted('5c')) rows.push(...await analyticsReads(platform, await schoolNow(), wanted, log))

  // 6: events.
  if (wanted('6a')) rows.push(await registrationToMail(platform, saturatedRegistrations ?? Number(process.env.BENCH_MAIL_SATURATION ?? 50), log))
  if (wanted('6b')) rows.push(await relayRate(platform, log))
  if (wanted('6c')) rows.push(await ingestRate(platform, log))
  if (wanted('6d')) rows.push(await freshness(platform, await schoolNow(), log))
  if (wanted('6e')) rows.push(await relayShare(platform, log))

  // The open-loop capacity figure: the whole platform under steps of concurrent students (`--only=capacity`).
  let capacityReport: CapacityReport | undefined
  if (wanted('capacity')) {
    const result = await capacity(platform, log)
    rows.push(result.row)
    capacityReport = result.report
  }

  // 7: memory, watched from the first scenario to the last.
  report = {
    startedAt: startedAt.toISOString(),
    elapsedS: 0,
    machine: machine(),
    settings: { short: options.short, durationS: options.durationS, warmupS: options.warmupS, bankSize: options.bankSize, relayEvents: options.relayEvents, ingestEvents: options.ingestEvents, argon2: platform.argon2 },
    rows,
    memory: wanted('7') ? memory.stop() : (memory.stop(), []),
    ...(capacityReport === undefined ? {} : { capacity: capacityReport })
  }
} finally {
  await platform.stop()
}
report.elapsedS = (performance.now() - t0) / 1000
const file = join(options.outDir, 'latest.json')
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
process.stdout.write(`${formatTable(report)}\n\nwritten to ${file}\n`)
