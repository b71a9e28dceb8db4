// A small RFC 4180 reader: comma-separated, fields optionally in double quotes (a quote inside is doubled,
// and a quoted field may hold commas and line breaks). Each record carries the line it starts on, so an
// import can name the line of every rejected item. Records are read one at a time, so an import can stop
// reading once it has seen enough.
export interface CsvRecord {
  line: number
  fields: string[]
}

export class CsvSyntaxError extends Error {
  constructor (readonly line: number, message: string) { super(message) }
}

export function * readCsv (text: string): Generator<CsvRecord> {
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let quoted = false
  let afterQuote = false
  const endField = (): void => { fields.push(field); field = ''; afterQuote = false }
  const endRecord = (): CsvRecord | undefined => {
    endField()
    const record = fields.length === 1 && fields[0] === '' ? undefined : { line: recordLine, fields }
    fields = []
    return record
  }
  for (; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++ } else { quoted = false; afterQuote = true }
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"') {
      if (field !== '' || afterQuote) throw new CsvSyntaxError(line, 'a quote may only open a field')
      quoted = true
    } else if (ch === ',') {
      endField()
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue
    } else if (ch === '\n') {
      const record = endRecord()
      if (record !== undefined) yield record
      line++
      recordLine = line
    } else {
      if (afterQuote) throw new CsvSyntaxError(line, 'text after a closing quote')
      field += ch
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed')
  const last = endRecord()
  if (last !== undefined) yield last
}
