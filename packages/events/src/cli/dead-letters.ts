// `pnpm dead-letters list [--consumer NAME] [--limit N] | show SEQ | replay SEQ | discard SEQ`: what the
// consumers gave up on, and what to do with it. Replay sends the event back to the consumer that failed it
// (and no other); discard drops it for good. Reads NATS_URL and EVENTS_PREFIX like the services, and runs as
// the NATS admin user (NATS_USER, NATS_PASSWORD) against an authorizing server.
import { deadLetters, type DeadLetter } from '../dead-letters.js'
import { connectNats } from '../nats-connect.js'

const USAGE = 'usage: dead-letters list [--consumer NAME] [--limit N] | show SEQ | replay SEQ | discard SEQ'
const args = process.argv.slice(2).filter((a) => a !== '--')
const [command, ...rest] = args
const flag = (name: string): string | undefined => { const i = rest.indexOf(`--${name}`); return i === -1 ? undefined : rest[i + 1] }
const seqArg = (): number => {
  const seq = Number(rest[0])
  if (!Number.isInteger(seq) || seq < 1) { process.stderr.write(`${USAGE}\n`); process.exit(2) }
  return seq
}
const text = (l: DeadLetter): string => new TextDecoder().decode(l.data)
const line = (l: DeadLetter): string => `${l.seq}\t${l.at}\t${l.consumer}\t${l.stream}#${l.streamSequence}\t${l.deliveries}\t${l.reason}`

if (!['list', 'show', 'replay', 'discard'].includes(command ?? '')) { process.stderr.write(`${USAGE}\n`); process.exit(2) }
const nc = await connectNats({ servers: process.env.NATS_URL, name: 'dead-letters', user: process.env.NATS_USER, password: process.env.NATS_PASSWORD })
try {
  const store = await deadLetters(nc, process.env.EVENTS_PREFIX ?? 'dreamseed')
  if (command === 'list') {
    const consumer = flag('consumer')
    const letters = await store.list({ limit: Number(flag('limit') ?? 100), ...(consumer === undefined ? {} : { consumer }) })
    process.stdout.write(`seq\tat\tconsumer\tstream#sequence\tdeliveries\treason\n${letters.map(line).join('\n')}${letters.length > 0 ? '\n' : ''}`)
    process.stderr.write(`${letters.length} shown of ${await store.count()} dead letters\n`)
  } else if (command === 'show') {
    const letter = await store.get(seqArg())
    if (letter === undefined) { process.stderr.write('no such dead letter\n'); process.exitCode = 1 } else process.stdout.write(`${JSON.stringify({ ...letter, data: text(letter) }, null, 2)}\n`)
  } else if (command === 'replay') {
    const letter = await store.replay(seqArg())
    if (letter === undefined) { process.stderr.write('no such dead letter\n'); process.exitCode = 1 } else process.stdout.write(`replayed ${letter.seq} to ${letter.consumer}\n`)
  } else {
    if (await store.discard(seqArg())) process.stdout.write('discarded\n')
    else { process.stderr.write('no such dead letter\n'); process.exitCode = 1 }
  }
} finally {
  await nc.close()
}
