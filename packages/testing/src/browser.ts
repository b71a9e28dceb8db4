// A real headless browser for the pages people open from mails: Debian's chromium driven by playwright-core,
// which never downloads a browser of its own.
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'

export type { Browser, BrowserContext, Page, Response } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

// Our machines reach nothing but Debian's mirrors and npm: without the background-networking switches
// chromium keeps dialling Google's services and logs refused connections.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Launches chromium, closed at teardown. Each launch gets a fresh temporary profile (playwright creates it
 * and deletes it on close; it refuses a --user-data-dir in args). */
export async function launchBrowser (t: { teardown: (fn: () => unknown) => void }): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (as root; npm test does it through ensure_chromium in scripts/lib.sh)`)
  }
  // Loaded here, not at the top: every test file imports this package, and playwright-core takes half a second.
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  t.teardown(async () => { await browser.close() })
  return browser
}
