// What the deployment checks share: where things are, which services there are, their settings
// declarations, and the rendered Kubernetes overlays.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseAllDocuments } from 'yaml'
import type { Setting } from '@dreamseed/kit'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface ServiceInfo { name: string, port: number, opsPort: number }

/** Every service the platform runs, with the ports its config.ts defaults to: the API's and the ops one (OPS_PORT). */
export const SERVICES: ServiceInfo[] = [
  { name: 'auth', port: 3001, opsPort: 9001 },
  { name: 'exam', port: 3002, opsPort: 9002 },
  { name: 'analytics', port: 3003, opsPort: 9003 },
  { name: 'notification', port: 3004, opsPort: 9004 }
]

export const OVERLAYS = ['dev', 'prod'] as const

/** A service whose code is in the tree (one being written may have no config.ts or server.ts yet). */
export function hasSource (service: string, file: 'config.ts' | 'server.ts'): boolean {
  return existsSync(join(ROOT, 'services', service, 'src', file))
}

export type Settings = Record<string, Setting<unknown>>

/** The settings a service reads at start: the `…Settings` object its src/config.ts exports. */
export async function loadSettings (service: string): Promise<Settings> {
  const module = await import(pathToFileURL(join(ROOT, 'services', service, 'src', 'config.ts')).href) as Record<string, unknown>
  const found = Object.entries(module).find(([key, value]) => key.endsWith('Settings') && typeof value === 'object' && value !== null)
  if (found === undefined) throw new Error(`services/${service}/src/config.ts exports no …Settings object`)
  return found[1] as Settings
}

/** Environment variables a setup CLI reads (process.env.NAME in its source). */
export function cliEnv (file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8')
  return [...new Set([...source.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((m) => m[1]!))].sort()
}

export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }
  spec?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>
  [key: string]: unknown
}

const KUBECTL = process.env.KUBECTL ?? 'kubectl'
const rendered = new Map<string, K8sObject[]>()

/** `kubectl kustomize k8s/overlays/<overlay>`, parsed (cached per process). */
export function render (overlay: string): K8sObject[] {
  let objects = rendered.get(overlay)
  if (objects === undefined) {
    let text: string
    try {
      text = execFileSync(KUBECTL, ['kustomize', join(ROOT, 'k8s', 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${KUBECTL} not found: the deploy tests render the overlays with \`kubectl kustomize\` (install kubectl, or set KUBECTL)`, { cause: err })
      throw err
    }
    objects = parseAllDocuments(text).map((d) => d.toJSON() as K8sObject).filter((o) => o !== null)
    rendered.set(overlay, objects)
  }
  return objects
}

export function find (objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name)
}

export function ofKind (objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind)
}

/** True when every label the selector asks for is on the object. */
export function selects (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined) return false
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v)
}

/** The environment a container gets: its env entries and the keys of the ConfigMaps it takes whole. */
export function containerEnv (objects: K8sObject[], container: any): Map<string, { from: 'value' | 'configMap' | 'secret' | 'other', value?: string, ref?: { name: string, key: string } }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = new Map<string, { from: 'value' | 'configMap' | 'secret' | 'other', value?: string, ref?: { name: string, key: string } }>()
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef === undefined) throw new Error(`envFrom other than a ConfigMap in ${container.name}`)
    const map = find(objects, 'ConfigMap', source.configMapRef.name)
    if (map === undefined) throw new Error(`ConfigMap ${source.configMapRef.name} is not in the overlay`)
    for (const [key, value] of Object.entries(map.data ?? {})) env.set(key, { from: 'configMap', value })
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env.set(e.name, { from: 'value', value: e.value })
    else if (e.valueFrom?.secretKeyRef !== undefined) env.set(e.name, { from: 'secret', ref: e.valueFrom.secretKeyRef })
    else if (e.valueFrom?.configMapKeyRef !== undefined) {
      const ref = e.valueFrom.configMapKeyRef
      env.set(e.name, { from: 'configMap', value: find(objects, 'ConfigMap', ref.name)?.data?.[ref.key], ref })
    } else env.set(e.name, { from: 'other' })
  }
  return env
}
