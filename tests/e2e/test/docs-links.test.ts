// The documents are split over the README, docs/ and a README per service and package, and point at one
// another: every relative link must reach a file that exists, and every #anchor a heading of that file, so
// a section renamed or moved is caught here rather than by a reader.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fromRoot } from '../config-table.js'

const ROOT = fromRoot('')
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage'])

/**
 * Every Markdown file of the repository, as git knows it: other suites build throwaway folders in the tree
 * (the image recipe's pnpm deploy output, with the packages' READMEs) that come and go while this runs.
 */
function markdownFiles (dir: string): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--', '*.md'], { cwd: dir, encoding: 'utf8' })
    .split('\n').filter((file) => file !== '' && !file.split('/').some((part) => part.startsWith('.') || SKIPPED_FOLDERS.has(part)))
    .map((file) => join(dir, file)).filter((path) => existsSync(path))
}

/** A Markdown file's lines, with those inside fenced blocks (where a `#` or `](` is not markup) blanked. */
function outsideFences (text: string): string[] {
  let fence: string | undefined
  return text.split('\n').map((line) => {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
    if (opener !== undefined && (fence === undefined || opener.startsWith(fence))) {
      fence = fence === undefined ? opener : undefined
      return ''
    }
    return fence === undefined ? line : ''
  })
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces made dashes, repeats numbered. */
function anchors (text: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1]
    if (heading === undefined) continue
    const shown = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    const base = shown.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

interface Link { from: string, line: number, target: string }

function relativeLinks (file: string): Link[] {
  const links: Link[] = []
  outsideFences(readFileSync(file, 'utf8')).forEach((line, i) => {
    // Inline code is not markup either.
    for (const match of line.replace(/`[^`]*`/g, '``').matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // a URL with a scheme: not ours to check here
      links.push({ from: file, line: i + 1, target })
    }
  })
  return links
}

function problem (link: Link): string | undefined {
  const [path = '', anchor] = link.target.split('#', 2)
  const file = path === '' ? link.from : join(dirname(link.from), decodeURIComponent(path))
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`
  if (anchor === undefined) return undefined
  if (!file.endsWith('.md')) return `an anchor into ${relative(ROOT, file)}, which is not Markdown`
  return anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `no heading #${anchor} in ${relative(ROOT, file)}`
}

const files = markdownFiles(ROOT)
const named = (path: string): boolean => files.includes(join(ROOT, path))

t.test('the documents the README points to exist', async (t) => {
  for (const path of ['README.md', 'docs/architecture.md', 'docs/events.md', 'docs/operations.md', 'docs/testing.md']) t.ok(named(path), path)
  for (const service of ['auth', 'exam', 'analytics', 'notification']) t.ok(named(`services/${service}/README.md`), `services/${service}/README.md`)
})

t.test('every relative link and anchor in the documents resolves', async (t) => {
  let checked = 0
  for (const file of files) {
    for (const link of relativeLinks(file)) {
      checked++
      const why = problem(link)
      if (why !== undefined) t.fail(`${relative(ROOT, link.from)}:${link.line}: (${link.target}): ${why}`)
    }
  }
  t.ok(checked > 50, `${checked} links checked`)
})

t.test('the anchors are GitHub\'s', async (t) => {
  t.same([...anchors('# A\n## The production shape: `pnpm cluster`\n## Rotating auth\'s signing key\n```sh\n# a comment\n```\n## A\n')],
    ['a', 'the-production-shape-pnpm-cluster', 'rotating-auths-signing-key', 'a-1'])
})
