// The streams fit the NATS servers they are created on. JetStream reserves each stream's max_bytes on every
// server that holds a copy, used or not, and refuses what does not fit (then streams:apply stops the
// rollout), so the streams Job's settings are checked here against the NATS Helm values: one copy per
// server, and on each server a copy of every stream within its file store, with room for NATS's own files.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { STREAMS, streamMaxBytes } from '../../../packages/events/src/streams.js'
import { formatBytes, parseBytes, streamSettings } from '../../../packages/events/src/stream-settings.js'
import { OVERLAYS, ROOT, containerEnv, find, render } from './helper.js'

/** Share of a server's store the streams may reserve: the rest is for raft logs, consumer state and slack. */
const ROOM = 0.8

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

/** What the NATS chart is given: values.yaml, and values-prod.yaml on top in prod. */
function natsServers (overlay: string): { servers: number, storeBytes: number } {
  const files = ['values.yaml', ...(overlay === 'prod' ? ['values-prod.yaml'] : [])]
  const values = files.map((f) => parseYaml(readFileSync(join(ROOT, 'k8s/nats', f), 'utf8')) as Any)
  const last = <T>(pick: (v: Any) => T | undefined): T | undefined => values.map(pick).filter((x) => x !== undefined && x !== null).at(-1)
  const clustered = last((v) => v.config?.cluster?.enabled) === true
  // The chart's max_file_store is fileStore.maxSize, which defaults to the volume's size.
  const store = last<string>((v) => v.config?.jetstream?.fileStore?.maxSize) ?? last<string>((v) => v.config?.jetstream?.fileStore?.pvc?.size)
  if (store === undefined) throw new Error(`${files.join(' + ')}: no JetStream file store size`)
  return { servers: clustered ? Number(last((v) => v.config?.cluster?.replicas)) : 1, storeBytes: parseBytes(store) }
}

for (const overlay of OVERLAYS) {
  t.test(`${overlay}: every NATS server holds a copy of every stream within its file store`, async (t) => {
    const objects = render(overlay)
    const env = containerEnv(objects, find(objects, 'Job', 'dreamseed-streams')?.spec.template.spec.containers[0])
    // The command's own parser: a value it would refuse fails here first.
    const settings = streamSettings({ STREAM_REPLICAS: env.get('STREAM_REPLICAS')?.value, STREAMS_MAX_BYTES: env.get('STREAMS_MAX_BYTES')?.value })
    t.ok(env.has('STREAMS_MAX_BYTES'), 'the Job sets STREAMS_MAX_BYTES rather than relying on the default')
    const { servers, storeBytes } = natsServers(overlay)
    t.equal(settings.replicas, servers, `one copy of each stream per NATS server (${servers})`)
    // A server holds at most one copy of a stream; with as many copies as servers, each holds them all.
    const perServer = STREAMS.reduce((sum, d) => sum + streamMaxBytes(d, settings), 0)
    t.ok(perServer > 0 && perServer <= ROOM * storeBytes,
      `the streams reserve ${formatBytes(perServer)} on each server (${formatBytes(perServer * settings.replicas)} over ${servers}), at most ${ROOM * 100}% of its ${formatBytes(storeBytes)} store`)
  })
}
