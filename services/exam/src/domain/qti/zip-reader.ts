// A zip reader that trusts nothing it reads: the central directory is walked by hand (so the entry count
// and every name are checked before anything is inflated), and an entry is inflated in small slices while
// its output is counted, so a declared size, a zip bomb or a long ratio costs at most the limit.
import { Inflate } from 'fflate'
import { QtiRefusal, type QtiLimits } from './limits.js'

export interface ZipEntry {
  name: string
  method: number
  flags: number
  crc: number
  compressedSize: number
  size: number
  localOffset: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const SLICE = 4096
const RATIO_FLOOR = 1024 * 1024
const utf8 = new TextDecoder('utf-8', { fatal: true })

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>()
  private inflated = 0
  /** Bytes that came out of the inflater, refused entries included: what reading this zip has cost. */
  bytesOut = 0

  constructor (private readonly data: Uint8Array, private readonly limits: QtiLimits) {
    this.readDirectory()
  }

  has (name: string): boolean { return this.entries.has(name) }

  /** The entry's bytes, counted against the per-entry and total limits as they come out. */
  read (name: string): Uint8Array {
    const entry = this.entries.get(name)
    if (entry === undefined) throw new QtiRefusal('EXAM_QTI_MISSING_FILE', 'The package has no such file', name)
    if ((entry.flags & 1) !== 0) throw new QtiRefusal('EXAM_QTI_ZIP_ENCRYPTED', 'Encrypted zip entries are not supported', name)
    const start = this.dataStart(entry)
    const end = start + entry.compressedSize
    if (end > this.data.length) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The entry runs past the end of the zip', name)
    const cap = Math.min(this.limits.maxEntryBytes, this.limits.maxTotalBytes - this.inflated)
    const tooBig = (): QtiRefusal => cap < this.limits.maxEntryBytes
      ? new QtiRefusal('EXAM_QTI_TOO_LARGE', `The files read from the package pass ${this.limits.maxTotalBytes} bytes in all`, name)
      : new QtiRefusal('EXAM_QTI_ENTRY_TOO_LARGE', `The file passes ${this.limits.maxEntryBytes} bytes once uncompressed`, name)
    // The declared size refuses an honest big file cheaply; the count while inflating catches a lying one.
    if (entry.size > cap) throw tooBig()
    let out: Uint8Array
    if (entry.method === 0) {
      if (entry.compressedSize > cap) throw tooBig()
      out = this.data.subarray(start, end)
    } else if (entry.method === 8) {
      out = this.inflate(entry, start, end, cap, tooBig)
    } else {
      throw new QtiRefusal('EXAM_QTI_ZIP_METHOD', `Compression method ${entry.method} is not supported (only stored and deflate)`, name)
    }
    if (out.length !== entry.size) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The entry\'s size differs from the size the zip declares', name)
    if (crc32(out) !== entry.crc) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The entry\'s checksum does not match', name)
    this.inflated += out.length
    return out
  }

  private inflate (entry: ZipEntry, start: number, end: number, cap: number, tooBig: () => QtiRefusal): Uint8Array {
    const chunks: Uint8Array[] = []
    let produced = 0
    const inflater = new Inflate((chunk) => {
      produced += chunk.length
      this.bytesOut += chunk.length
      if (produced > cap) throw tooBig()
      chunks.push(chunk)
    })
    try {
      for (let at = start; at < end; at += SLICE) {
        inflater.push(this.data.subarray(at, Math.min(at + SLICE, end)), at + SLICE >= end)
        if (produced > RATIO_FLOOR && produced > this.limits.maxRatio * Math.max(1, entry.compressedSize)) {
          throw new QtiRefusal('EXAM_QTI_ZIP_RATIO', `The file inflates more than ${this.limits.maxRatio} times its compressed size`, entry.name)
        }
      }
      if (start === end) inflater.push(new Uint8Array(0), true)
    } catch (err) {
      if (err instanceof QtiRefusal) throw err
      throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', `The entry cannot be inflated: ${(err as Error).message}`, entry.name)
    }
    const out = new Uint8Array(produced)
    let at = 0
    for (const c of chunks) { out.set(c, at); at += c.length }
    return out
  }

  private dataStart (entry: ZipEntry): number {
    const d = this.data
    const at = entry.localOffset
    if (at + 30 > d.length || u32(d, at) !== LOCAL) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The entry\'s local header is missing', entry.name)
    return at + 30 + u16(d, at + 26) + u16(d, at + 28)
  }

  private readDirectory (): void {
    const d = this.data
    const eocd = findEocd(d)
    if (eocd < 0) throw new QtiRefusal('EXAM_QTI_NOT_ZIP', 'The upload is not a zip file')
    const disk = u16(d, eocd + 4)
    const cdDisk = u16(d, eocd + 6)
    const count = u16(d, eocd + 10)
    const cdSize = u32(d, eocd + 12)
    const cdOffset = u32(d, eocd + 16)
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new QtiRefusal('EXAM_QTI_ZIP64', 'Zip64 archives are not supported')
    if (disk !== 0 || cdDisk !== 0 || u16(d, eocd + 8) !== count) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'Multi-part zip archives are not supported')
    if (count > this.limits.maxEntries) throw new QtiRefusal('EXAM_QTI_TOO_MANY_ENTRIES', `The zip holds ${count} entries; at most ${this.limits.maxEntries} are read`)
    if (cdOffset + cdSize > eocd) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The zip\'s central directory lies outside the file')
    let at = cdOffset
    for (let i = 0; i < count; i++) {
      if (at + 46 > eocd || u32(d, at) !== CENTRAL) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The zip\'s central directory is cut short')
      const nameLength = u16(d, at + 28)
      const next = at + 46 + nameLength + u16(d, at + 30) + u16(d, at + 32)
      if (next > eocd) throw new QtiRefusal('EXAM_QTI_ZIP_CORRUPT', 'The zip\'s central directory is cut short')
      let name: string
      try { name = utf8.decode(d.subarray(at + 46, at + 46 + nameLength)) } catch {
        throw new QtiRefusal('EXAM_QTI_ZIP_NAME', 'An entry name is not UTF-8', `entry ${i + 1}`)
      }
      checkEntryName(name)
      const entry: ZipEntry = {
        name,
        flags: u16(d, at + 8),
        method: u16(d, at + 10),
        crc: u32(d, at + 16),
        compressedSize: u32(d, at + 20),
        size: u32(d, at + 24),
        localOffset: u32(d, at + 42)
      }
      at = next
      if (name.endsWith('/')) continue
      if (this.entries.has(name)) throw new QtiRefusal('EXAM_QTI_ZIP_NAME', 'The zip holds two entries with this name', name)
      this.entries.set(name, entry)
    }
  }
}

/** Names that could escape a folder or mean something else on another system are refused outright. */
function checkEntryName (name: string): void {
  const bad = name === '' || name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) ||
    name.includes('\0') || name.split('/').some((s) => s === '..')
  if (bad) throw new QtiRefusal('EXAM_QTI_ZIP_PATH', 'Entry names may not be absolute or contain ".." or backslashes', name)
}

function findEocd (d: Uint8Array): number {
  const lowest = Math.max(0, d.length - 22 - 0xffff)
  for (let at = d.length - 22; at >= lowest; at--) {
    if (u32(d, at) === EOCD && at + 22 + u16(d, at + 20) <= d.length) return at
  }
  return -1
}

function u16 (d: Uint8Array, at: number): number { return d[at]! | (d[at + 1]! << 8) }
function u32 (d: Uint8Array, at: number): number { return (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0 }

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32 (d: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < d.length; i++) c = CRC_TABLE[(c ^ d[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
