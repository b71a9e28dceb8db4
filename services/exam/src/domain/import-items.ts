// Bulk import of items from JSON lines or CSV: every line is checked first, and either all of them are
// written, in one transaction with multi-row inserts (items-repository.ts), or none is and the rejected lines
// are reported with their numbers and reasons (the first MAX_REPORTED_PROBLEMS; reading stops there, and at
// the item cap).
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, ErrorDetail } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { ImportEmptyError, ImportRejectedError, ImportTooLargeError } from '../errors.js'
import { checkItemInput, MAX_OPTIONS, TEXT_LIMITS, type ItemContent } from './item-input.js'
import { organizationOf } from './items.js'
import { itemChangedRow } from './item-events.js'
import { CsvSyntaxError, readCsv, type CsvRecord } from './csv.js'

export type ImportFormat = 'ndjson' | 'csv'

/** Problems listed at most; once there are this many, reading stops, so a file of bad lines costs a bounded report. */
export const MAX_REPORTED_PROBLEMS = 100
/** Longest JSON line read: a valid item with every character escaped stays well below it. */
export const MAX_NDJSON_LINE = 256 * 1024

export async function importItems (deps: ExamDeps, user: AuthenticatedUser, format: ImportFormat, body: string): Promise<{ imported: number }> {
  const organizationId = organizationOf(user)
  const read = new ImportReader(deps.importMaxItems)
  if (format === 'csv') readCsvItems(body, read)
  else readNdjsonItems(body, read)
  if (read.lines === 0 && read.problems.length === 0) throw new ImportEmptyError()
  if (read.problems.length > 0) {
    throw new ImportRejectedError(read.rejected, Math.max(read.lines, read.rejected), read.problems.slice(0, MAX_REPORTED_PROBLEMS), !read.full)
  }
  const now = deps.now().toISOString()
  const at = new Date(now)
  const imported = read.accepted.map(({ item }) => {
    const id = newEventId()
    return { id, content: item, changed: itemChangedRow({ ...item, id, organizationId }, at) }
  })
  await deps.repos.items.import(organizationId, user.id, imported, now)
  deps.bank.invalidate(organizationId)
  deps.eventsWritten()
  return { imported: imported.length }
}

/**
 * Collects an import's items line by line, in line order. It refuses the import as soon as the item cap is
 * passed and says when enough problems are listed to stop reading, so neither a huge file nor a file of bad
 * lines is held or reported in full.
 */
class ImportReader {
  readonly accepted: Array<{ line: number, item: ItemContent }> = []
  readonly problems: ErrorDetail[] = []
  /** Item lines seen (valid or not). */
  lines = 0
  rejected = 0
  constructor (private readonly maxItems: number) {}

  get full (): boolean { return this.problems.length >= MAX_REPORTED_PROBLEMS }

  /** One more item line; past the cap the import is refused without reading further. */
  count (): void {
    if (++this.lines > this.maxItems) throw new ImportTooLargeError(this.maxItems)
  }

  reject (line: number, message: string): void {
    this.rejected++
    this.problems.push({ path: `line ${line}`, message })
  }

  check (line: number, value: unknown): void {
    const checked = checkItemInput(value)
    if ('item' in checked) { this.accepted.push({ line, item: checked.item }); return }
    this.rejected++
    this.problems.push(...checked.problems.map((p) => ({ path: `line ${line}`, message: `${p.path}: ${p.message}` })))
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
const NUMBER_COLUMNS = ['correctIndex', 'a', 'b', 'c', 'd']
const CSV_COLUMNS = new Set(['stem', ...OPTION_COLUMNS, 'correctIndex', 'subject', 'topics', 'a', 'b', 'c', 'd', 'status'])
// Each character has one place to go in this pattern, so a failed match does not backtrack; and it only ever
// sees a cell already cut to NUMBER_CELL characters.
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/
const NUMBER_CELL = 32
/** Longest cell per column: the item's own limits (topics: room for every topic, its separator and as many spaces). */
const CELL_LIMITS: Record<string, number> = {
  stem: TEXT_LIMITS.stem,
  subject: TEXT_LIMITS.subject,
  topics: 2 * (TEXT_LIMITS.topic + 1) * TEXT_LIMITS.topics,
  status: 16,
  ...Object.fromEntries(OPTION_COLUMNS.map((c) => [c, TEXT_LIMITS.option])),
  ...Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, NUMBER_CELL]))
}

/**
 * CSV: a header line names the columns (stem, option1..option6, correctIndex, subject, topics, a, b, c, d,
 * status; any order, optional ones may be left out); topics are separated by semicolons; an empty cell is
 * a value left out. Each record becomes the same object a JSON line would be, and is checked the same way.
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

/** The record as the object a JSON line would be, or why it cannot be one. */
function csvItem (columns: string[], record: CsvRecord): Record<string, unknown> | string {
  if (record.fields.length !== columns.length) return `has ${record.fields.length} fields; the header names ${columns.length}`
  const value: Record<string, unknown> = {}
  const options: string[] = []
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!
    const cell = record.fields[i]!
    if (cell.length > CELL_LIMITS[column]!) return `${column}: is too long (at most ${CELL_LIMITS[column]!} characters)`
    if (cell.trim() === '') continue
    if (OPTION_COLUMNS.includes(column)) options[OPTION_COLUMNS.indexOf(column)] = cell
    else if (column === 'topics') value.topics = cell.split(';').map((t) => t.trim()).filter((t) => t !== '')
    else if (NUMBER_COLUMNS.includes(column)) {
      if (!NUMBER.test(cell.trim())) return `${column}: must be a number`
      value[column] = Number(cell.trim())
    } else value[column] = cell
  }
  if (Array.from(options).some((o) => o === undefined)) return 'options must fill option1, option2, … without gaps'
  value.options = options
  return value
}
