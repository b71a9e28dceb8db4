// Bulk import of items from JSON lines or CSV: every line is checked first, and either all of them are
// written, in one transaction with multi-row inserts (items-repository.ts), or none is and the rejected lines
// are reported with their numbers and reasons (the first MAX_REPORTED_PROBLEMS; reading stops there, and at
// the item cap).
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, ErrorDetail } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { ImportEmptyError, ImportRejectedError, ImportTooLargeError } from '../errors.js'
import type { ImportExtras } from '../repositories/items-repository.js'
import { checkItemInput, MAX_OPTIONS, schemaProblems, TEXT_LIMITS, type ItemContent, type ItemInput } from './item-input.js'
import { organizationOf } from './items.js'
import { itemChangedRow } from './item-events.js'
import { CsvSyntaxError, readCsv, type CsvRecord } from './csv.js'
import { indexKeys, resolveKeys, type KeyIndex } from './item-relations.js'
import type { ItemRelations } from './model.js'
import { PASSAGE_LIMITS, passageFields } from './passage-input.js'
import { readQtiPackage } from './qti/index.js'

export type ImportFormat = 'ndjson' | 'csv' | 'qti'

/** Problems listed at most; once there are this many, reading stops, so a file of bad lines costs a bounded report. */
export const MAX_REPORTED_PROBLEMS = 100
/** Longest JSON line read: a valid item with every character escaped stays well below it. */
export const MAX_NDJSON_LINE = 256 * 1024

export async function importItems (deps: ExamDeps, user: AuthenticatedUser, format: ImportFormat, body: string | Uint8Array, options: { subject?: string } = {}): Promise<{ imported: number }> {
  const organizationId = organizationOf(user)
  const read = new ImportReader(deps.importMaxItems)
  if (format === 'qti') readQtiItems(typeof body === 'string' ? Buffer.from(body) : body, read, options.subject)
  else if (format === 'csv') readCsvItems(String(body), read)
  else readNdjsonItems(String(body), read)
  return await writeImport(deps, user, organizationId, read)
}

/**
 * A QTI 3.0 package (qti/): what it cannot represent is refused per item and nothing is imported; otherwise its
 * lines are checked like JSON lines, each problem named by the item's or passage's identifier.
 */
function readQtiItems (zip: Uint8Array, read: ImportReader, subject: string | undefined): void {
  const { lines, problems } = readQtiPackage(zip, { maxEntries: 2 * read.maxItems + 1, maxProblems: MAX_REPORTED_PROBLEMS, ...(subject === undefined ? {} : { subject }) })
  for (const p of problems) { read.rejected++; read.problems.push({ path: p.path, message: p.message }) }
  if (problems.length > 0) return
  lines.forEach((line, i) => {
    read.count()
    read.labels.set(i + 1, `${line.kind === 'passage' ? 'passage' : 'item'} ${line.ref}`)
    read.check(i + 1, line)
  })
}

/** Writes what a reader accepted, once its passages, refs and enemies are resolved; or refuses it all. */
export async function writeImport (deps: ExamDeps, user: AuthenticatedUser, organizationId: string, read: ImportReader): Promise<{ imported: number }> {
  if (read.lines === 0 && read.problems.length === 0) throw new ImportEmptyError()
  // Lines that read well are resolved even when others did not, so one answer lists every problem (until the cap).
  const plan = read.full ? undefined : await resolveImport(deps, organizationId, read)
  if (plan === undefined || read.problems.length > 0) {
    read.problems.sort((x, y) => lineOf(x) - lineOf(y))
    const named = read.problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => ({ ...p, path: read.labels.get(lineOf(p)) ?? p.path }))
    throw new ImportRejectedError(read.rejected, Math.max(read.lines, read.rejected), named, !read.full)
  }
  const now = deps.now().toISOString()
  const at = new Date(now)
  const imported = plan.items.map(({ id, item, relations }) => ({ id, content: item, relations, changed: itemChangedRow({ ...item, id, organizationId }, at) }))
  await deps.repos.items.import(organizationId, user.id, imported, plan.extras, now)
  deps.bank.invalidate(organizationId)
  deps.eventsWritten()
  return { imported: imported.length }
}

const lineOf = (p: ErrorDetail): number => Number(p.path.replace(/^line /, ''))

interface ImportPlan {
  items: Array<{ id: string, item: ItemContent, relations: ItemRelations }>
  extras: ImportExtras
}

/**
 * Gives the import's passages and items their ids, and resolves what items name (passages, enemies) among the
 * import's own refs and the organization's: refs must be new and unique, names must exist. Problems go to
 * `read`, by line; a constant number of queries.
 */
async function resolveImport (deps: ExamDeps, organizationId: string, read: ImportReader): Promise<ImportPlan | undefined> {
  const own: KeyIndex = { passages: new Map(), items: new Map() }
  const passages = read.passages.map((p) => ({ ...p, id: newEventId() }))
  const items = read.accepted.map((a) => ({ ...a, id: newEventId() }))
  for (const [kind, list] of [['passages', passages], ['items', items]] as const) {
    for (const entry of list) {
      const ref = 'ref' in entry ? entry.ref : entry.item.ref
      if (ref === null) continue
      if (own[kind].has(ref)) read.reject(entry.line, `ref: repeats the ref of another ${kind === 'items' ? 'item' : 'passage'} of this import`)
      else own[kind].set(ref, entry.id)
    }
  }
  const taken = await deps.repos.items.takenRefs(organizationId, [...own.items.keys()], [...own.passages.keys()])
  for (const p of passages) if (p.ref !== null && taken.passages.has(p.ref)) read.reject(p.line, 'ref: another passage of your organization has this ref')
  for (const a of items) if (a.item.ref !== null && taken.items.has(a.item.ref)) read.reject(a.line, 'ref: another item of your organization has this ref')
  const index = await indexKeys(deps.repos, organizationId, items.map((a) => a.input), own)
  const resolved = items.map((a) => ({ ...a, keys: resolveKeys(index, a.input, a.id) }))
  for (const r of resolved) if ('problems' in r.keys) for (const p of r.keys.problems) read.reject(r.line, `${p.path}: ${p.message}`)
  if (read.problems.length > 0) return undefined

  const ownIds = new Set(items.map((a) => a.id))
  const enemiesOf = new Map<string, Set<string>>()
  const link = (from: string, to: string): void => { enemiesOf.set(from, (enemiesOf.get(from) ?? new Set()).add(to)) }
  for (const r of resolved) for (const e of (r.keys as { enemyIds: string[] }).enemyIds) { link(r.id, e); link(e, r.id) }
  const existingPassages = [...new Set(resolved.map((r) => (r.keys as { passageId: string | null }).passageId).filter((id): id is string => id !== null && !passages.some((p) => p.id === id)))]
  const next = await deps.repos.items.nextPassagePositions(existingPassages)
  const plan: ImportPlan = { items: [], extras: { passages: passages.map(({ id, ref, title, stimulus }) => ({ id, ref, title, stimulus })), enemiesOfExisting: new Map() } }
  for (const r of resolved) {
    const { passageId } = r.keys as { passageId: string | null }
    let passagePosition: number | null = null
    if (passageId !== null) {
      const at = next.get(passageId) ?? 0
      passagePosition = at
      next.set(passageId, at + 1)
    }
    plan.items.push({ id: r.id, item: r.item, relations: { passageId, passagePosition, enemyIds: [...(enemiesOf.get(r.id) ?? [])] } })
  }
  for (const [id, enemies] of enemiesOf) if (!ownIds.has(id)) plan.extras.enemiesOfExisting.set(id, [...enemies])
  return plan
}

/** A passage line: `{ "kind": "passage", "ref", "title"?, "stimulus" }`. */
const PassageLine = Type.Object({
  kind: Type.Literal('passage'),
  ref: passageFields.ref,
  title: Type.Optional(passageFields.title),
  stimulus: passageFields.stimulus
}, { additionalProperties: false })
const passageLine = Compile(PassageLine)

/**
 * Collects an import's passages and items line by line, in line order. It refuses the import as soon as the
 * item cap is passed and says when enough problems are listed to stop reading, so neither a huge file nor a
 * file of bad lines is held or reported in full.
 */
export class ImportReader {
  readonly accepted: Array<{ line: number, input: ItemInput, item: ItemContent }> = []
  readonly passages: Array<{ line: number, ref: string | null, title: string | null, stimulus: string }> = []
  readonly problems: ErrorDetail[] = []
  /** Lines seen (valid or not). */
  lines = 0
  rejected = 0
  /** What to call a line in a problem, where "line N" would not mean anything (a QTI package's items). */
  readonly labels = new Map<number, string>()
  constructor (readonly maxItems: number) {}

  get full (): boolean { return this.problems.length >= MAX_REPORTED_PROBLEMS }

  /** One more line; past the cap the import is refused without reading further. */
  count (): void {
    if (++this.lines > this.maxItems) throw new ImportTooLargeError(this.maxItems)
  }

  reject (line: number, message: string): void {
    this.rejected++
    this.problems.push({ path: `line ${line}`, message })
  }

  /** An item line (`kind` absent or "item") or a passage line. */
  check (line: number, value: unknown): void {
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'passage') { this.passage(line, value); return }
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'item') {
      const { kind: _kind, ...rest } = value as Record<string, unknown>
      value = rest
    }
    const checked = checkItemInput(value)
    if ('item' in checked) { this.accepted.push({ line, input: checked.input, item: checked.item }); return }
    this.rejected++
    this.problems.push(...checked.problems.map((p) => ({ path: `line ${line}`, message: `${p.path}: ${p.message}` })))
  }

  passage (line: number, value: unknown): void {
    if (!passageLine.Check(value)) {
      const problems = schemaProblems(passageLine, value)
      this.rejected++
      this.problems.push(...problems.map((p) => ({ path: `line ${line}`, message: `passage${p.path === '(item)' ? '' : ` ${p.path}`}: ${p.message}` })))
      return
    }
    this.passages.push({ line, ref: value.ref.trim(), title: value.title?.trim() ?? null, stimulus: value.stimulus })
  }
}

function readNdjsonItems (body: string, read: ImportReader): void {
  let line = 0
  for (let start = 0; start <= body.length && !read.full;) {
    const newline = body.indexOf('\n', start)
    const end = newline === -1 ? body.length : newline
    const text = body.slice(start, end).trim()
    start = end + 1
    line++
    if (text === '') continue
    read.count()
    if (text.length > MAX_NDJSON_LINE) { read.reject(line, `is too long (at most ${MAX_NDJSON_LINE} characters)`); continue }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      read.reject(line, 'is not valid JSON')
      continue
    }
    read.check(line, value)
  }
}

const OPTION_COLUMNS = Array.from({ length: MAX_OPTIONS }, (_, i) => `option${i + 1}`)
const NUMBER_COLUMNS = ['correctIndex', 'a', 'c', 'd', 'value', 'tolerance', 'lambda']
/** Cells holding a list, its entries separated by semicolons. */
const NUMBER_LIST_COLUMNS = ['correctIndices', 'values', 'delta']
const TEXT_LIST_COLUMNS = ['topics', 'accepted', 'enemies']
const TEXT_COLUMNS = ['type', 'ref', 'stem', 'title', 'stimulus', 'scoring', 'subject', 'model', 'passage', 'status']
const CSV_COLUMNS = new Set([...TEXT_COLUMNS, ...OPTION_COLUMNS, ...NUMBER_COLUMNS, ...NUMBER_LIST_COLUMNS, ...TEXT_LIST_COLUMNS, 'b'])
// Each character has one place to go in this pattern, so a failed match does not backtrack; and it only ever
// sees a cell already cut to NUMBER_CELL characters.
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/
const NUMBER_CELL = 32
const NUMBER_LIST_CELL = (NUMBER_CELL + 2) * TEXT_LIMITS.numericValues
/** Longest cell per column: the item's own limits (lists: room for every entry, its separator and as many spaces). */
const CELL_LIMITS: Record<string, number> = {
  type: 16,
  ref: PASSAGE_LIMITS.ref,
  stem: TEXT_LIMITS.stem,
  title: PASSAGE_LIMITS.title,
  stimulus: PASSAGE_LIMITS.stimulus,
  scoring: 16,
  subject: TEXT_LIMITS.subject,
  model: 8,
  passage: TEXT_LIMITS.ref,
  status: 16,
  topics: 2 * (TEXT_LIMITS.topic + 1) * TEXT_LIMITS.topics,
  accepted: (TEXT_LIMITS.accepted + 2) * TEXT_LIMITS.acceptedCount,
  enemies: (TEXT_LIMITS.ref + 2) * TEXT_LIMITS.enemies,
  b: NUMBER_LIST_CELL,
  ...Object.fromEntries(OPTION_COLUMNS.map((c) => [c, TEXT_LIMITS.option])),
  ...Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, NUMBER_CELL])),
  ...Object.fromEntries(NUMBER_LIST_COLUMNS.map((c) => [c, NUMBER_LIST_CELL]))
}

/**
 * CSV: a header line names the columns (services/exam/README.md#importing; any order, optional ones may be left
 * out); lists (topics, accepted, enemies, correctIndices, values, delta, and b of a GRM item) are separated by
 * semicolons; an empty cell is a value left out. A row of type "passage" is a passage (ref, title, stimulus).
 * Each record becomes the same object a JSON line would be, and is checked the same way.
 */
function readCsvItems (body: string, read: ImportReader): void {
  const records = readCsv(body)
  try {
    const header = records.next()
    if (header.done === true) return
    const columns = header.value.fields.map((f) => f.trim())
    const unknown = columns.filter((c) => !CSV_COLUMNS.has(c))
    const repeated = columns.filter((c, i) => columns.indexOf(c) !== i)
    if (unknown.length > 0 || repeated.length > 0) {
      read.reject(header.value.line, unknown.length > 0 ? `unknown column ${unknown.map((c) => JSON.stringify(c)).join(', ')}` : `repeated column ${JSON.stringify(repeated[0])}`)
      return
    }
    for (const record of records) {
      read.count()
      const value = csvItem(columns, record)
      if (typeof value === 'string') read.reject(record.line, value)
      else read.check(record.line, value)
      if (read.full) return
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) { read.reject(err.line, err.message); return }
    throw err
  }
}

const list = (cell: string): string[] => cell.split(';').map((t) => t.trim()).filter((t) => t !== '')

/** A cell of numbers separated by semicolons, or why it is not one. */
function numbers (column: string, cell: string): number[] | string {
  const out: number[] = []
  for (const entry of list(cell)) {
    if (entry.length > NUMBER_CELL || !NUMBER.test(entry)) return `${column}: must be numbers separated by semicolons`
    out.push(Number(entry))
  }
  return out
}

/** The record as the object a JSON line would be, or why it cannot be one. */
function csvItem (columns: string[], record: CsvRecord): Record<string, unknown> | string {
  if (record.fields.length !== columns.length) return `has ${record.fields.length} fields; the header names ${columns.length}`
  const cells: Record<string, string> = {}
  const options: string[] = []
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!
    const cell = record.fields[i]!
    if (cell.length > CELL_LIMITS[column]!) return `${column}: is too long (at most ${CELL_LIMITS[column]!} characters)`
    if (cell.trim() === '') continue
    if (OPTION_COLUMNS.includes(column)) options[OPTION_COLUMNS.indexOf(column)] = cell
    else cells[column] = cell
  }
  if (Array.from(options).some((o) => o === undefined)) return 'options must fill option1, option2, … without gaps'
  if (cells.type?.trim() === 'passage') {
    const { type: _type, ref, title, stimulus, ...rest } = cells
    const extra = Object.keys(rest)
    if (extra.length > 0 || options.length > 0) return `a passage row has only ref, title and stimulus; it has ${[...extra, ...(options.length > 0 ? ['options'] : [])].join(', ')}`
    return { kind: 'passage', ...(ref === undefined ? {} : { ref }), ...(title === undefined ? {} : { title }), ...(stimulus === undefined ? {} : { stimulus }) }
  }
  const value: Record<string, unknown> = {}
  const polytomous = cells.model !== undefined
  const irt: Record<string, unknown> = {}
  for (const [column, cell] of Object.entries(cells)) {
    if (column === 'model') irt.model = cell.trim()
    else if (TEXT_LIST_COLUMNS.includes(column)) value[column] = list(cell)
    else if (NUMBER_LIST_COLUMNS.includes(column) || (column === 'b' && polytomous)) {
      const parsed = numbers(column, cell)
      if (typeof parsed === 'string') return parsed
      if (column === 'delta' || column === 'b') irt[column] = parsed
      else value[column] = parsed
    } else if (NUMBER_COLUMNS.includes(column) || column === 'b') {
      if (!NUMBER.test(cell.trim())) return `${column}: must be a number`
      if (polytomous && (column === 'a' || column === 'lambda')) irt[column] = Number(cell.trim())
      else value[column] = Number(cell.trim())
    } else value[column] = cell
  }
  if (options.length > 0) value.options = options
  if (polytomous) value.irt = irt
  else if (irt.delta !== undefined || value.lambda !== undefined) return 'delta and lambda belong to a polytomous item: name its model'
  if (value.value !== undefined || value.tolerance !== undefined) {
    value.numeric = { ...(value.value === undefined ? {} : { value: value.value }), ...(value.tolerance === undefined ? {} : { tolerance: value.tolerance }) }
    delete value.value
    delete value.tolerance
  }
  if (value.values !== undefined) {
    if (value.numeric !== undefined) return 'values: give either value (and tolerance) or values'
    value.numeric = { values: value.values }
    delete value.values
  }
  return value
}
