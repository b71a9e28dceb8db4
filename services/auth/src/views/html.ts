// Server-rendered pages for links opened from mails: plain HTML forms that work without JavaScript.
import type { FastifyReply } from 'fastify'
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

export function layout (title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · DreamSeed</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.5rem}button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#2563eb;color:#fff;cursor:pointer}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.5rem 0 1rem}.error{color:#b91c1c}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

/** Headers for pages that carry a token: never cached, never leaked through a Referer, no scripts. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff'
}

/** Sends a page. Typed on the plain reply: a route's JSON response schema does not describe its pages. */
export function sendPage (reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(html)
}
