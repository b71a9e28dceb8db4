// Prints the README's configuration tables from the services' own setting declarations, so the README can
// be regenerated (`pnpm --filter @dreamseed/e2e run config-table`) and a test can check it is still true.
import type { Setting } from '@dreamseed/kit'
import { authSettings } from '@dreamseed/auth'
import { notificationSettings } from '@dreamseed/notification'
import { examSettings } from '@dreamseed/exam'
import { analyticsSettings } from '@dreamseed/analytics'

export const SERVICES: Record<string, Record<string, Setting<unknown>>> = { auth: authSettings, exam: examSettings, analytics: analyticsSettings, notification: notificationSettings }

function defaultText (s: Setting<unknown>): string {
  if (s.defaultDoc !== undefined) return s.defaultDoc
  if (s.default === undefined) return s.when === undefined ? '(required)' : '(required when it applies)'
  if (typeof s.default === 'function') return '(computed)'
  return Array.isArray(s.default) ? s.default.join(',') : String(s.default)
}

export function configTable (settings: Record<string, Setting<unknown>>): string {
  const rows = Object.values(settings).map((s) => {
    const flags = [s.requiredInProduction === true ? 'required in production' : '', s.secret === true ? 'secret' : ''].filter(Boolean).join(', ')
    return `| \`${s.env}\` | \`${defaultText(s)}\` | ${s.description}${flags === '' ? '' : ` (${flags})`} |`
  })
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, settings] of Object.entries(SERVICES)) process.stdout.write(`#### ${name}\n\n${configTable(settings)}\n\n`)
}
