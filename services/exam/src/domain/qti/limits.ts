// What a QTI package may cost us to read, and how a refusal is reported: every limit is checked while the
// work is done (bytes while inflating, elements while parsing), so a hostile package is refused after
// bounded work, never after it has been unpacked or parsed in full.

export interface QtiLimits {
  /** Entries in the zip's central directory (files and folders). */
  maxEntries: number
  /** Uncompressed bytes of one entry, counted while inflating. */
  maxEntryBytes: number
  /** Uncompressed bytes of every entry read, counted while inflating. */
  maxTotalBytes: number
  /** Uncompressed bytes per compressed byte of one entry, checked once an entry passes 1 MiB. */
  maxRatio: number
  /** Element nesting in one XML file. */
  maxDepth: number
  /** Elements in one XML file. */
  maxElements: number
  /** Attributes in one XML file, namespace declarations included. */
  maxAttributes: number
  /** Attributes on one element. */
  maxAttributesPerElement: number
  /** Characters in one run of text (or one attribute value). */
  maxTextChars: number
  /** Problems listed; reading stops once there are this many. */
  maxProblems: number
}

export const DEFAULT_QTI_LIMITS: Readonly<QtiLimits> = Object.freeze({
  maxEntries: 10_000,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  maxDepth: 64,
  maxElements: 250_000,
  maxAttributes: 500_000,
  maxAttributesPerElement: 64,
  maxTextChars: 200_000,
  maxProblems: 100
})

/** One reason the package (or one item of it) cannot be imported; path is the file or identifier concerned. */
export interface QtiProblem {
  path: string
  code: string
  message: string
}

/** A refusal raised deep in the reader (zip, XML) and turned into a problem where the file is known. */
export class QtiRefusal extends Error {
  constructor (readonly code: string, message: string, readonly path = '') {
    super(message)
    this.name = 'QtiRefusal'
  }
}

/** The path that stands for the package as a whole in problems. */
export const PACKAGE_PATH = '(package)'
