// "Not yours" must look exactly like "does not exist": another organization's id and a made-up id get the same
// refusal (403 or 404), the same status and the same body but for the request id.

interface Answer {
  statusCode: number
  body: string
}

const withoutRequestId = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { error?: { requestId?: string } }
    delete parsed.error?.requestId
    return JSON.stringify(parsed)
  } catch {
    return body
  }
}

/** What tells the two answers apart, or makes them no refusal (nothing: []). */
export function strangerProblems (theirs: Answer, none: Answer): string[] {
  const problems: string[] = []
  if (![403, 404].includes(theirs.statusCode)) problems.push(`status ${theirs.statusCode}, not 403 or 404: ${theirs.body.slice(0, 200)}`)
  if (theirs.statusCode !== none.statusCode) problems.push(`status ${theirs.statusCode}, but ${none.statusCode} for a made-up id`)
  if (withoutRequestId(theirs.body) !== withoutRequestId(none.body)) problems.push(`body ${theirs.body.slice(0, 200)}, but ${none.body.slice(0, 200)} for a made-up id`)
  return problems
}
