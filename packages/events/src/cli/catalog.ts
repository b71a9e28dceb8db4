// Writes the event catalog: schemas/<type>.v<version>.json (one JSON Schema per event version) and
// asyncapi.json. `pnpm --filter @dreamseed/events run catalog` after adding or changing a contract; the
// contract test fails until the committed files match, and refuses an incompatible change to a version.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CATALOG } from '../catalog.js'
import { asyncApiDocument } from '../catalog-docs/asyncapi.js'
import { schemaFileName, subscriberSchema } from '../catalog-docs/json-schema.js'

const root = join(fileURLToPath(import.meta.url), '..', '..', '..')
const schemas = join(root, 'schemas')
mkdirSync(schemas, { recursive: true })
const written = new Set<string>()
for (const contract of CATALOG) {
  const file = schemaFileName(contract)
  writeFileSync(join(schemas, file), JSON.stringify(subscriberSchema(contract), null, 2) + '\n')
  written.add(file)
}
const stale = readdirSync(schemas).filter((f) => !written.has(f))
writeFileSync(join(root, 'asyncapi.json'), JSON.stringify(asyncApiDocument(), null, 2) + '\n')
process.stdout.write(`wrote ${written.size} schemas and asyncapi.json${stale.length > 0 ? `; left in place (a version is never deleted while subscribers may read it): ${stale.join(', ')}` : ''}\n`)
