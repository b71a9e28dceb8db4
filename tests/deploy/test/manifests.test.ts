// Renders every overlay with kubectl kustomize and checks each object against the Kubernetes schemas
// (kubernetes-models, and the Prometheus Operator's for ServiceMonitor and PrometheusRule), the
// CloudNativePG Cluster by its structure, and the rules the platform keeps: probes, resources and a
// restricted security context on every container, Services and HPAs that point at real Deployments and
// ports, images and ports that match the services, and NetworkPolicies around every pod.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import * as core from 'kubernetes-models/v1'
import * as apps from 'kubernetes-models/apps/v1'
import * as batch from 'kubernetes-models/batch/v1'
import * as policy from 'kubernetes-models/policy/v1'
import * as autoscaling from 'kubernetes-models/autoscaling/v2'
import * as networking from 'kubernetes-models/networking.k8s.io/v1'
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { OVERLAYS, ROOT, SERVICES, containerEnv, find, ofKind, render, selects, type K8sObject } from './helper.js'

type Model = new (data: unknown) => { validate: () => void }
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'policy/v1': policy,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'monitoring.coreos.com/v1': monitoring
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

/** Pod templates of the workloads: Deployments and Jobs. */
function workloads (objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
}

/** A label selector with matchLabels and/or `In` matchExpressions (all the platform's policies use). */
function matchesSelector (selector: Any, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined) return false
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v)
  const byExpressions = (selector.matchExpressions ?? []).every((e: Any) => {
    if (e.operator !== 'In') throw new Error(`selector operator ${String(e.operator)} not understood here`)
    return labels?.[e.key] !== undefined && e.values.includes(labels[e.key])
  })
  return byLabels && byExpressions
}

/** The NATS users and their permissions as the Helm chart should get them, rendered from the declarations. */
async function natsHelmValues (prefix: string): Promise<Any> {
  const module = await import(pathToFileURL(join(ROOT, 'packages/events/src/nats-permissions.ts')).href) as { natsHelmValues: (prefix: string) => unknown }
  return module.natsHelmValues(prefix)
}

function serviceDeployments (objects: K8sObject[]): K8sObject[] {
  return ofKind(objects, 'Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'api')
}

for (const overlay of OVERLAYS) {
  t.test(`overlay ${overlay}`, async (t) => {
    const objects = render(overlay)

    t.test('every object is valid against its schema', async (t) => {
      for (const o of objects) {
        const id = `${o.kind} ${o.metadata.name}`
        if (o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster') {
          // No published model for CloudNativePG: the fields the platform relies on, by structure.
          t.ok(Number.isInteger(o.spec?.instances) && o.spec.instances >= 1, `${id}: instances`)
          t.type(o.spec?.bootstrap?.initdb?.database, 'string', `${id}: bootstrap.initdb.database`)
          t.type(o.spec?.bootstrap?.initdb?.owner, 'string', `${id}: bootstrap.initdb.owner`)
          t.match(o.spec?.storage?.size, /^\d+(Gi|Ti|Mi)$/, `${id}: storage.size`)
          t.match(o.spec?.imageName, /^[\w./-]+:[\w.-]+$/, `${id}: imageName`)
          continue
        }
        const Model = MODELS[o.apiVersion]?.[o.kind] as Model | undefined
        if (Model === undefined) { t.fail(`${id}: no schema known for ${o.apiVersion}`); continue }
        t.doesNotThrow(() => { new Model(o).validate() }, id)
      }
    })

    t.test('every container has resources and a restricted security context; every service probes', async (t) => {
      for (const w of workloads(objects)) {
        const pod = w.spec.template.spec
        t.equal(pod.securityContext?.runAsNonRoot, true, `${w.metadata.name}: pod runs as non-root`)
        t.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${w.metadata.name}: seccomp RuntimeDefault`)
        t.equal(pod.automountServiceAccountToken, false, `${w.metadata.name}: no API token mounted`)
        for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Any[]) {
          const id = `${w.metadata.name}/${c.name}`
          t.ok(c.resources?.requests?.cpu !== undefined && c.resources?.requests?.memory !== undefined, `${id}: requests cpu and memory`)
          t.ok(c.resources?.limits?.memory !== undefined, `${id}: limits memory`)
          t.equal(c.securityContext?.allowPrivilegeEscalation, false, `${id}: no privilege escalation`)
          t.equal(c.securityContext?.readOnlyRootFilesystem, true, `${id}: read-only root filesystem`)
          t.ok(c.securityContext?.capabilities?.drop?.includes('ALL'), `${id}: drops all capabilities`)
          t.notOk(c.securityContext?.privileged, `${id}: not privileged`)
          t.match(c.image, /:[\w.-]+$/, `${id}: image has a tag`)
          const mounts = new Set((c.volumeMounts ?? []).map((m: Any) => m.name))
          for (const m of mounts) t.ok(pod.volumes?.some((v: Any) => v.name === m), `${id}: volume ${String(m)} declared`)
          if (w.kind !== 'Deployment') continue
          const ports = (c.ports ?? []) as Any[]
          for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
            t.ok(c[probe] !== undefined, `${id}: ${probe}`)
            const target = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port
            t.ok(ports.some((p) => p.name === target || p.containerPort === target), `${id}: ${probe} targets a declared port`)
          }
        }
      }
      for (const d of serviceDeployments(objects)) {
        const pod = d.spec.template.spec
        const c = pod.containers[0]
        t.equal(c.livenessProbe.httpGet.path, '/health/live', `${d.metadata.name}: liveness on /health/live`)
        t.equal(c.startupProbe.httpGet.path, '/health/live', `${d.metadata.name}: startup on /health/live`)
        t.equal(c.readinessProbe.httpGet.path, '/health/ready', `${d.metadata.name}: readiness on /health/ready`)
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) t.equal(c[probe].httpGet.port, 'ops', `${d.metadata.name}: ${probe} on the ops port (the public one does not serve health)`)
        t.ok(c.volumeMounts?.some((m: Any) => m.mountPath === '/tmp'), `${d.metadata.name}: writable /tmp`)
        t.ok((pod.topologySpreadConstraints ?? []).length >= 1, `${d.metadata.name}: spread over zones and nodes`)
        // Graceful stop: the preStop pause plus the kit's shutdown timeout must fit in the grace period.
        const env = containerEnv(objects, c)
        const shutdownS = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value) / 1000
        const pauseS = c.lifecycle?.preStop?.sleep?.seconds ?? 0
        t.ok(pauseS > 0, `${d.metadata.name}: preStop pause before SIGTERM`)
        t.ok(pod.terminationGracePeriodSeconds > pauseS + shutdownS, `${d.metadata.name}: grace period ${pod.terminationGracePeriodSeconds} s > ${pauseS} s pause + ${shutdownS} s shutdown`)
      }
    })

    t.test('each service has a Deployment, Service, HPA and PDB with its image and ports', async (t) => {
      for (const { name, port, opsPort } of SERVICES) {
        const d = find(objects, 'Deployment', name)
        if (d === undefined) { t.fail(`no Deployment ${name}`); continue }
        const c = d.spec.template.spec.containers[0]
        t.match(c.image, new RegExp(`(^|/)dreamseed/${name}:[\\w.-]+$`), `${name}: image dreamseed/${name}`)
        t.same(c.ports.map((p: Any) => [p.name, p.containerPort]), [['http', port], ['ops', opsPort]], `${name}: container ports ${port} (http) and ${opsPort} (ops)`)
        t.equal(containerEnv(objects, c).get('PORT')?.value, String(port), `${name}: PORT matches the container port`)
        t.equal(containerEnv(objects, c).get('OPS_PORT')?.value, String(opsPort), `${name}: OPS_PORT matches the ops container port`)
        t.equal(containerEnv(objects, c).get('HOST')?.value, '0.0.0.0', `${name}: listens on every interface`)
        const svc = find(objects, 'Service', name)
        t.ok(svc !== undefined, `${name}: Service`)
        t.equal(svc?.spec.ports[0].port, port, `${name}: Service port ${port} (the URLs other services use)`)
        t.same(svc?.spec.ports.map((p: Any) => [p.name, p.port, p.targetPort]), [['http', port, 'http'], ['ops', opsPort, 'ops']], `${name}: Service ports http and ops (the ServiceMonitor's)`)
        const hpa = find(objects, 'HorizontalPodAutoscaler', name)
        t.ok(hpa !== undefined, `${name}: HorizontalPodAutoscaler`)
        t.equal(d.spec.replicas, hpa?.spec.minReplicas, `${name}: replicas start at the HPA's minimum`)
        t.ok(ofKind(objects, 'PodDisruptionBudget').some((p) => selects(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), `${name}: PodDisruptionBudget`)
      }
    })

    t.test('Services, HPAs and PDBs point at Deployments that exist', async (t) => {
      const deployments = ofKind(objects, 'Deployment')
      for (const s of ofKind(objects, 'Service')) {
        const targets = deployments.filter((d) => selects(s.spec.selector, d.spec.template.metadata.labels))
        t.equal(targets.length, 1, `Service ${s.metadata.name} selects the pods of one Deployment`)
        const ports = targets.flatMap((d) => d.spec.template.spec.containers.flatMap((c: Any) => c.ports ?? []))
        for (const p of s.spec.ports) t.ok(ports.some((cp: Any) => cp.name === p.targetPort || cp.containerPort === p.targetPort), `Service ${s.metadata.name} port ${p.port} targets a declared container port`)
      }
      for (const h of ofKind(objects, 'HorizontalPodAutoscaler')) {
        const ref = h.spec.scaleTargetRef
        t.ok(ref.kind === 'Deployment' && find(objects, 'Deployment', ref.name) !== undefined, `HPA ${h.metadata.name} targets an existing Deployment`)
        t.ok(h.spec.minReplicas <= h.spec.maxReplicas, `HPA ${h.metadata.name}: min ≤ max`)
      }
      for (const p of ofKind(objects, 'PodDisruptionBudget')) {
        t.ok(deployments.some((d) => selects(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), `PDB ${p.metadata.name} covers a Deployment`)
      }
    })

    t.test('NetworkPolicies fence every pod and let it reach only what its settings name', async (t) => {
      const policies = ofKind(objects, 'NetworkPolicy')
      const egressTo = (labels: Record<string, string>, port: number): boolean => policies.some((p) =>
        selects(p.spec.podSelector.matchLabels, labels) && (p.spec.egress ?? []).some((rule: Any) =>
          (rule.ports ?? []).some((rp: Any) => rp.port === port)))
      for (const w of workloads(objects)) {
        const labels = w.spec.template.metadata.labels
        const name = w.metadata.name
        const governing = policies.filter((p) => selects(p.spec.podSelector.matchLabels, labels))
        t.ok(governing.some((p) => p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress') && p.spec.ingress === undefined && p.spec.egress === undefined), `${name}: default deny in and out`)
        t.ok(egressTo(labels, 53), `${name}: DNS`)
        t.ok(governing.some((p) => p.metadata.name !== 'dreamseed-default-deny' && p.metadata.name !== 'dreamseed-allow-dns'), `${name}: a policy of its own`)
        const env = new Set<string>()
        for (const c of w.spec.template.spec.containers) for (const key of containerEnv(objects, c).keys()) env.add(key)
        const needs: Array<[string, number]> = [['DATABASE_URL', 5432], ['NATS_URL', 4222], ['REDIS_URL', 6379], ['AUTH_JWKS_URL', 3001], ['SMTP_URL', 587]]
        for (const [variable, port] of needs) {
          t.equal(egressTo(labels, port), env.has(variable), `${name}: egress to port ${port} exactly when it reads ${variable}`)
        }
      }
      for (const { name, opsPort } of SERVICES) {
        const own = find(objects, 'NetworkPolicy', name)
        const toOps = (own?.spec.ingress ?? []).filter((rule: Any) => rule.ports.some((p: Any) => p.port === opsPort))
        t.same(toOps.flatMap((rule: Any) => rule.from), [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], `${name}: the ops port for Prometheus alone`)
        t.notOk((own?.spec.ingress ?? []).some((rule: Any) => rule.from?.some((f: Any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring') && rule.ports.some((p: Any) => p.port !== opsPort)), `${name}: and nothing else for Prometheus`)
      }
      const auth = find(objects, 'NetworkPolicy', 'auth')
      for (const client of ['exam', 'analytics']) {
        t.ok(auth?.spec.ingress?.some((rule: Any) => rule.from?.some((f: Any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === client)), `auth admits ${client} (JWKS)`)
      }
    })

    t.test('NATS admits on its client port only the pods that use it, and its routes only between its servers', async (t) => {
      const policy = find(objects, 'NetworkPolicy', 'nats')
      if (policy === undefined) { t.fail('no NetworkPolicy nats'); return }
      t.same(policy.spec.podSelector, { matchLabels: { 'app.kubernetes.io/name': 'nats' } }, 'it governs the chart\'s NATS pods')
      t.same([...policy.spec.policyTypes].sort(), ['Egress', 'Ingress'])
      const rulesFor = (port: number): Any[] => (policy.spec.ingress as Any[]).filter((r) => r.ports.some((p: Any) => p.port === port))
      t.same((policy.spec.ingress as Any[]).flatMap((r) => r.ports.map((p: Any) => p.port)).sort(), [4222, 6222, 7777], 'client, route and exporter ports, no other')
      const clientSources = rulesFor(4222).flatMap((r) => r.from)
      t.ok(clientSources.every((f: Any) => f.podSelector !== undefined && f.namespaceSelector === undefined && f.ipBlock === undefined), 'clients: pods of this namespace only')
      const users = workloads(objects).filter((w) => w.spec.template.spec.containers.some((c: Any) => containerEnv(objects, c).has('NATS_URL')))
      t.same(users.map((w) => w.metadata.name).sort(), ['analytics', 'auth', 'dreamseed-streams', 'exam', 'notification'])
      for (const w of workloads(objects)) {
        const admitted = clientSources.some((f: Any) => matchesSelector(f.podSelector, w.spec.template.metadata.labels))
        t.equal(admitted, users.includes(w), `${w.metadata.name}: ${users.includes(w) ? 'reaches' : 'cannot reach'} the client port`)
      }
      t.same(rulesFor(6222).flatMap((r) => r.from), [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats' } } }], 'routes from NATS servers alone')
      t.same(rulesFor(7777).flatMap((r) => r.from), [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], 'the exporter for Prometheus alone')
      const egressPorts = (policy.spec.egress as Any[]).flatMap((r) => r.ports.map((p: Any) => p.port)).sort()
      t.same(egressPorts, [53, 53, 6222], 'out: DNS and routes only')
      t.same((policy.spec.egress as Any[]).find((r) => r.ports.some((p: Any) => p.port === 6222))?.to, [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats' } } }])
    })

    t.test('the NATS chart gets the rendered users and permissions, each password from the Secret dreamseed-nats', async (t) => {
      const prefix = containerEnv(objects, find(objects, 'Deployment', 'auth')?.spec.template.spec.containers[0]).get('EVENTS_PREFIX')?.value
      t.type(prefix, 'string')
      const text = readFileSync(join(ROOT, 'k8s/nats/values-auth.yaml'), 'utf8')
      t.same(parseYaml(text), await natsHelmValues(prefix!), `values-auth.yaml is current for EVENTS_PREFIX=${prefix} (pnpm -s --filter @dreamseed/events run nats:config -- --helm > k8s/nats/values-auth.yaml)`)
      const users = parseYaml(text).config.merge.authorization.users as Any[]
      t.same(users.map((u) => u.user), ['auth', 'exam', 'analytics', 'notification', 'subscriber', 'admin'])
      const env = parseYaml(readFileSync(join(ROOT, 'k8s/nats/values.yaml'), 'utf8')).container.env as Any
      for (const u of users) {
        const variable = /^<< \$(\w+) >>$/.exec(u.password)?.[1]
        t.ok(variable !== undefined, `${u.user}: the password is a variable, not a value`)
        t.same(env[variable!]?.valueFrom?.secretKeyRef, { name: 'dreamseed-nats', key: u.user }, `${u.user}: ${String(variable)} from dreamseed-nats/${u.user}`)
      }
      t.same(Object.keys(env).sort(), users.map((u) => `NATS_PASSWORD_${String(u.user).toUpperCase()}`).sort(), 'no other variable')
    })

    t.test('no secret value is in the manifests', async (t) => {
      t.same(ofKind(objects, 'Secret').map((s) => s.metadata.name), [], 'no Secret objects: operators create them')
      const secretLike = /(URL|KEY|PASSWORD|SECRET|TOKEN)$/
      for (const w of workloads(objects)) {
        for (const c of w.spec.template.spec.containers) {
          for (const e of c.env ?? []) if (secretLike.test(e.name) && e.name !== 'AUTH_JWKS_URL') t.equal(e.value, undefined, `${w.metadata.name}: ${e.name} comes from a Secret`)
        }
      }
    })

    t.test('backing services match the environment', async (t) => {
      const cluster = find(objects, 'Cluster', 'dreamseed-pg')
      t.ok(cluster !== undefined, 'a CloudNativePG Cluster dreamseed-pg (its Secret dreamseed-pg-app holds DATABASE_URL)')
      const natsValues = [parseYaml(readFileSync(join(ROOT, 'k8s/nats/values.yaml'), 'utf8')), ...(overlay === 'prod' ? [parseYaml(readFileSync(join(ROOT, 'k8s/nats/values-prod.yaml'), 'utf8'))] : [])]
      t.ok(natsValues.every((v: Any) => v.config?.jetstream?.enabled !== false) && natsValues[0].config.jetstream.enabled === true, 'NATS runs JetStream')
      t.equal(cluster?.spec.instances, overlay === 'prod' ? 3 : 1, 'Postgres instances')
      // Every pod's pool at the HPAs' maxima, plus the outbox relay's own connection in the services that have
      // an outbox, plus the Job, must fit in Postgres' max_connections with room to spare.
      const RELAYING = ['auth', 'exam', 'analytics']
      let connections = 1
      for (const d of serviceDeployments(objects)) {
        const env = containerEnv(objects, d.spec.template.spec.containers[0])
        const perPod = Number(env.get('DB_POOL_MAX')?.value) + (RELAYING.includes(d.metadata.name) ? 1 : 0)
        connections += perPod * find(objects, 'HorizontalPodAutoscaler', d.metadata.name)?.spec.maxReplicas
      }
      const max = Number(cluster?.spec.postgresql.parameters.max_connections)
      t.ok(connections <= max * 0.9, `pools at full scale (${connections}) fit in max_connections ${max}`)
    })

    t.test('the setup Jobs run before the services roll out', async (t) => {
      for (const name of ['dreamseed-migrate', 'dreamseed-streams']) {
        const job = find(objects, 'Job', name)
        t.equal(job?.metadata.annotations?.['argocd.argoproj.io/hook'], 'PreSync', `${name} is an Argo CD PreSync hook`)
        t.equal(job?.metadata.labels?.['app.kubernetes.io/component'], 'setup', `${name} is labelled for the kubectl sequence`)
        t.equal(job?.spec.template.spec.restartPolicy, 'Never')
      }
      t.match(find(objects, 'Job', 'dreamseed-migrate')?.spec.template.spec.containers[0].image, /(^|\/)dreamseed\/migrate:/)
      t.match(find(objects, 'Job', 'dreamseed-streams')?.spec.template.spec.containers[0].image, /(^|\/)dreamseed\/streams:/)
    })
  })
}
