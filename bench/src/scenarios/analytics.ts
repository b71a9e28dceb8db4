// Scenario 5, analytics reads (cached against a bare route doing one Redis GET, uncached against one doing one
// Postgres select, target: cached ≥ 0.7), and 6's analytics ingest rate of exam.response.recorded against a
// raw JetStream consume-and-ack loop. Both wait for the analytics service; until then the row says so, and
// this is where they go: start analytics in platform.ts, add /bare/redis-get and /bare/select to the baseline.
import type { Platform } from '../platform.js'
import type { Row } from '../report.js'

export async function analyticsReads (_p: Platform, log: (line: string) => void): Promise<Row> {
  log('5 analytics reads: skipped (no analytics service yet)')
  return {
    id: '5',
    scenario: 'analytics reads, cached / uncached',
    measured: null,
    baselineName: null,
    baseline: null,
    ratio: null,
    target: { text: 'cached ratio ≥ 0.7', met: false },
    notes: ['also to come with the analytics service: 6c, ingest of exam.response.recorded against a raw consume-and-ack loop'],
    skipped: 'no analytics service yet'
  }
}
