// A hot statement run through `prepared` costs one round trip to Postgres once its connection has it, where
// drizzle's unprepared execution costs two (postgres.js waits on a Describe before it executes). Round trips
// are counted on the wire: a proxy between the pool and Postgres counts the Sync and Flush messages the
// client sends: each ends a batch the client then waits on, one round trip of the extended query protocol.
import t from 'tap'
import { createServer, connect as tcpConnect, type Socket } from 'node:net'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { createDatabase, runPrepared } from '../src/database.js'

/** Counts frontend Sync ('S') and Flush ('H') messages; the first message of a connection (startup) has no type byte. */
function syncCounter (socket: Socket, onSync: () => void): void {
  let buffer = Buffer.alloc(0)
  let started = false
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    for (;;) {
      if (!started) {
        if (buffer.length < 4) return
        const length = buffer.readInt32BE(0)
        if (buffer.length < length) return
        const code = buffer.readInt32BE(4)
        buffer = buffer.subarray(length)
        // An SSL request (80877103) is answered 'N' and followed by the real startup message.
        if (code !== 80877103) started = true
        continue
      }
      if (buffer.length < 5) return
      const length = buffer.readInt32BE(1)
      if (buffer.length < 1 + length) return
      if (buffer[0] === 0x53 || buffer[0] === 0x48) onSync()
      buffer = buffer.subarray(1 + length)
    }
  })
}

t.test('a prepared statement takes one round trip per execution; drizzle\'s unprepared execution takes two', async (t) => {
  const url = new URL(await createTestDatabase(t, migrateDatabase))
  let syncs = 0
  const proxy = createServer((client) => {
    const server = tcpConnect(Number(url.port || 5432), url.hostname)
    syncCounter(client, () => { syncs++ })
    client.pipe(server)
    server.pipe(client)
    client.on('error', () => server.destroy())
    server.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { proxy.close() })
  const proxied = new URL(url)
  proxied.port = String((proxy.address() as { port: number }).port)
  const database = createDatabase({ serviceName: 'kit-test', databaseUrl: proxied.toString(), dbPoolMax: 1, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 5, dbIdleInTransactionTimeoutMs: 60000 }, {})
  t.teardown(() => database.close())
  await database.sql`select 1`

  const query = (n: number) => sql`select ${n}::int + 1 as next, ${'x'}::text as label`
  const roundTrips = async (run: () => Promise<unknown>): Promise<number> => { const before = syncs; await run(); return syncs - before }

  await database.prepared(query(1))
  const prepared = await roundTrips(async () => await database.prepared<{ next: number }>(query(2)))
  const unprepared = await roundTrips(async () => await database.db.execute(query(3)))
  t.equal(prepared, 1, 'prepared, once the connection has it: one round trip')
  t.equal(unprepared, 2, 'drizzle, unprepared: two')
  t.same(await database.prepared<{ next: number, label: string }>(query(41)), [{ next: 42, label: 'x' }], 'and the right answer')
  const before = database.queryCount()
  await database.prepared(query(5))
  t.equal(database.queryCount(), before + 1, 'counted like drizzle\'s queries')

  await database.db.transaction(async (tx) => {
    const inside = await roundTrips(async () => await runPrepared<{ next: number }>(tx, query(6)))
    const unpreparedInside = await roundTrips(async () => await tx.execute(query(7)))
    t.equal(inside, 1, 'inside a transaction, prepared: one round trip')
    t.equal(unpreparedInside, 2, 'inside a transaction, drizzle unprepared: two')
    t.same(await runPrepared<{ next: number }>(tx, sql`select count(*)::int as next from pg_prepared_statements where statement like 'select $1::int + 1%'`), [{ next: 1 }], 'one prepared statement per query text on the connection, however often it ran')
  })
})
