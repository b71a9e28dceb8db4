// A port nothing listens on right now, for the private servers tests start (and stop, and start again on it).
// Drawn below Linux's ephemeral range (32768–60999 here, /proc/sys/net/ipv4/ip_local_port_range): a port the
// kernel handed out with listen(0) is also one it hands to outgoing connections, and with every test
// connecting to Postgres, NATS and Redis one of them could take it between this check and the server's own
// listen (CI: a cluster replica's "EADDRINUSE"). Below that range only another test drawing the same port at
// the same moment could, one chance in thousands.
import { randomInt } from 'node:crypto'
import { createServer } from 'node:net'

const LOW = 20_000
const HIGH = 32_767

async function canListen (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

export async function freePort (): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(LOW, HIGH + 1)
    if (await canListen(port)) return port
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 100 draws`)
}
