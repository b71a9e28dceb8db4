// Scenario 4p's exam replicas, built as `pnpm cluster` builds them (tools/cluster): exam's real server.ts in
// processes of their own (createReplica), on the bench's database, event prefix and settings, behind one HAProxy
// (startHaproxy) with two front ends: one balancing over every replica, one with the first replica alone. One
// proxy for both sides, so comparing them shows the replicas, not the proxy.
import { join } from 'node:path'
import { createReplica, startHaproxy, waitForSpread, type Haproxy, type Replica } from '@dreamseed/cluster'
import type { Platform } from '../platform.js'
import { freePort } from '../processes.js'
import { pidsWith } from '../cpu.js'

export interface ExamBehindProxy {
  replicas: Replica[]
  /** The proxy's address in front of every replica. */
  allUrl: string
  /** The same proxy's address in front of the first replica alone. */
  firstUrl: string
  /** HAProxy's process, for its CPU time. */
  proxyPid: number | undefined
  stop: () => Promise<void>
}

export async function startExamBehindProxy (p: Platform, n: number): Promise<ExamBehindProxy> {
  const replicas: Replica[] = []
  for (let i = 0; i < n; i++) {
    replicas.push(createReplica({
      service: 'exam',
      name: `exam-${i + 1}`,
      port: await freePort(),
      opsPort: await freePort(),
      // As the cluster's replicas: the proxy's X-Forwarded-For names the client. Their logs are discarded (no
      // `output`): piped to the bench they would cost its process a line's handling per request on the same cores.
      env: { ...p.env, TRUST_PROXY: '127.0.0.1' }
    }))
  }
  let proxy: Haproxy | undefined
  const stop = async (): Promise<void> => {
    await proxy?.close()
    await Promise.all(replicas.map(async (r) => { await r.stop('SIGTERM') }))
  }
  try {
    await Promise.all(replicas.map(async (r) => { await r.start() }))
    const [allPort, firstPort] = [await freePort(), await freePort()]
    const servers = replicas.map((r) => ({ name: r.name, port: r.port, opsPort: r.opsPort }))
    const configFile = join(p.options.outDir, 'logs', 'haproxy-4p.cfg')
    proxy = await startHaproxy({
      configFile,
      services: [{ name: 'exam-all', port: allPort, replicas: servers }, { name: 'exam-first', port: firstPort, replicas: servers.slice(0, 1) }]
    })
    const [allUrl, firstUrl] = [proxy.urls['exam-all']!, proxy.urls['exam-first']!]
    // Ready once the proxy's first health checks have passed and it sends requests to every replica.
    await waitForSpread(allUrl, replicas.map((r) => r.name))
    await waitForSpread(firstUrl, [replicas[0]!.name])
    // startHaproxy keeps its child to itself; the config file's path names this run's proxy.
    return { replicas, allUrl, firstUrl, proxyPid: pidsWith(configFile)[0], stop }
  } catch (err) {
    await stop().catch(() => {})
    throw err
  }
}
