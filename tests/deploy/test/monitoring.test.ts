// The alerts and the Grafana dashboard use metrics that exist: exported by the services (found in their
// sources), by prom-client's defaults, by the NATS chart's exporter or CloudNativePG, or named in PLANNED,
// the metrics the alerts are ready for but no service exports yet.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { OVERLAYS, ROOT, find, render } from './helper.js'

/** Not exported yet; each needs code in the kit, events or a service (and a line in docs/operations.md's list). None today. */
const PLANNED: string[] = []
const FROM_EXPORTERS = [/^up$/, /^nats_/, /^cnpg_/, /^process_/, /^nodejs_/]
const FUNCTIONS_AND_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan'])

function sourceFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'test' ? [] : sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Metric names the services register with prom-client, histograms with their series suffixes. */
function exportedMetrics (): Set<string> {
  const names = new Set<string>()
  for (const root of ['services', 'packages']) {
    for (const pkg of readdirSync(join(ROOT, root))) {
      const src = join(ROOT, root, pkg, 'src')
      if (!existsSync(src)) continue
      for (const file of sourceFiles(src)) {
        const text = readFileSync(file, 'utf8')
        for (const m of text.matchAll(/new (Counter|Gauge|Histogram|Summary)\(\{\s*name: '([a-zA-Z_:][a-zA-Z0-9_:]*)'/g)) {
          names.add(m[2]!)
          if (m[1] === 'Histogram' || m[1] === 'Summary') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${m[2]}${suffix}`)
        }
      }
    }
  }
  return names
}

/** Metric names in a PromQL expression: identifiers left once strings, matchers, ranges, groupings and calls are removed. */
function metricsIn (expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ')
  const names = [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter((m) => m[2] === undefined && !FUNCTIONS_AND_KEYWORDS.has(m[1]!.toLowerCase()))
    .map((m) => m[1]!)
  return [...new Set(names)]
}

const exported = exportedMetrics()
const known = (name: string): boolean => exported.has(name) || PLANNED.includes(name) || FROM_EXPORTERS.some((re) => re.test(name))

const dashboard = JSON.parse(readFileSync(join(ROOT, 'infra/grafana/dreamseed.json'), 'utf8')) as { uid: string, panels: Array<{ type: string, title: string, targets?: Array<{ expr: string }> }> }
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => ({ where: `panel "${p.title}"`, expr: target.expr })))

t.test('the services export the metrics the rules are built on', async (t) => {
  t.ok(exported.has('http_request_duration_seconds_bucket'), 'the kit\'s request histogram')
  t.ok(exported.has('notification_mail_deliveries_total'), 'notification\'s delivery counter')
  for (const name of ['dreamseed_outbox_oldest_pending_seconds', 'dreamseed_db_pool_connections', 'dreamseed_db_pool_max', 'dreamseed_analytics_last_event_timestamp_seconds']) {
    t.ok(exported.has(name), `${name} (outbox lag, pool saturation, stale analytics)`)
  }
  for (const name of PLANNED) t.notOk(exported.has(name), `${name} is still planned (once exported, drop it from PLANNED and the list in docs/operations.md)`)
})

for (const overlay of OVERLAYS) {
  t.test(`${overlay}: alert rules`, async (t) => {
    const objects = render(overlay)
    const rules = find(objects, 'PrometheusRule', 'dreamseed')
    const alerts = (rules?.spec.groups ?? []).flatMap((g: { rules: Array<{ alert: string, expr: string, labels?: Record<string, string>, annotations?: Record<string, string> }> }) => g.rules)
    for (const name of ['DreamseedHigh5xxRate', 'DreamseedRouteLatencyP99High', 'DreamseedConsumerLag', 'DreamseedOutboxLag', 'DreamseedDeadLetters', 'DreamseedDbPoolSaturated', 'DreamseedAnalyticsStale']) {
      t.ok(alerts.some((a: { alert: string }) => a.alert === name), `alert ${name}`)
    }
    for (const a of alerts) {
      t.ok(['critical', 'warning'].includes(a.labels?.severity ?? ''), `${a.alert}: severity`)
      t.type(a.annotations?.summary, 'string', `${a.alert}: summary`)
      t.equal((a.expr.match(/\(/g) ?? []).length, (a.expr.match(/\)/g) ?? []).length, `${a.alert}: balanced parentheses`)
      for (const metric of metricsIn(a.expr)) t.ok(known(metric), `${a.alert}: ${metric} exists or is planned`)
    }
    const monitor = find(objects, 'ServiceMonitor', 'dreamseed')
    t.same(monitor?.spec.endpoints.map((e: { port: string, path: string }) => [e.port, e.path]), [['ops', '/metrics']], 'ServiceMonitor scrapes /metrics on the ops port')
  })
}

t.test('the Grafana dashboard', async (t) => {
  t.equal(dashboard.uid, 'dreamseed-overview')
  const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join('\n')
  for (const topic of ['request rate', '5xx', 'latency', 'pool', 'throughput', 'lag']) t.match(titles, topic, `a panel on ${topic}`)
  for (const { where, expr } of dashboardExprs) {
    t.equal((expr.match(/\(/g) ?? []).length, (expr.match(/\)/g) ?? []).length, `${where}: balanced parentheses`)
    for (const metric of metricsIn(expr)) t.ok(known(metric), `${where}: ${metric} exists or is planned`)
  }
  const used = new Set([...dashboardExprs.flatMap((e) => metricsIn(e.expr))])
  for (const name of PLANNED) t.ok(used.has(name), `${name} is shown`)
})
