// What several replicas of every service need of the manifests: nothing pins a client to a pod, and the Redis
// that holds revocations and rate limits never evicts a key to make room.
import t from 'tap'
import { OVERLAYS, SERVICES, find, ofKind, render } from './helper.js'

for (const overlay of OVERLAYS) {
  t.test(`overlay ${overlay}`, async (t) => {
    const objects = render(overlay)
    for (const { name } of SERVICES) {
      const service = find(objects, 'Service', name)
      t.ok(service !== undefined, `${name} has a Service`)
      t.not(service?.spec.sessionAffinity, 'ClientIP', `${name}'s Service spreads requests over its pods with no affinity`)
    }
    const redis = ofKind(objects, 'Deployment').find((d) => d.metadata.name === 'dreamseed-redis')
    t.ok(redis !== undefined, 'a Redis Deployment')
    const args: string[] = redis?.spec.template.spec.containers[0].args ?? []
    t.equal(args[args.indexOf('--maxmemory-policy') + 1], 'noeviction', 'Redis never evicts a revocation or a rate-limit counter')
  })
}
