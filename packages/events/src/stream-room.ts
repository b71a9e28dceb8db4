// Whether JetStream has room for the streams, asked before any of them is created or changed, so that
// `streams:apply` never leaves half of them behind. What nats-server 2.9.10 tells an ordinary client,
// found with @nats-io/jetstream 3.4 against servers started with `jetstream { max_file_store: 100MB }`:
// - jsm.getAccountInfo() ($JS.API.INFO) gives the ACCOUNT's limits only. With a server-wide
//   max_file_store and no account limits every limit is -1; 2.9 reports no reserved_storage, and tiers
//   only for JWT accounts with tiered limits. An account limit (`accounts { A: { jetstream: { max_file } } }`)
//   shows as limits.max_storage.
// - The server's own limit and what it has reserved (config.max_storage, reserved_storage) appear only in
//   the monitoring port's /jsz and in $SYS.REQ.SERVER.PING.JSZ, which needs the system account: nothing
//   the streams Job should be given.
// - Creating or updating a stream reserves its max_bytes (on each server holding a copy) whether or not
//   anything is stored; an update reserves only the difference; a stream without max_bytes reserves none.
//   Past the limit the server refuses: 10047 "insufficient storage resources available" on one server (and
//   for an account's max_storage), 10005 "no suitable peers for placement, insufficient storage" in a cluster.
// So the server answers its own question: a probe stream reserving the bytes needed is created and deleted
// at once. If it is refused, halving probe sizes finds how much the server still accepts, to within 1 MiB.
// A cluster places the one probe on servers that each hold all of it, so with fewer copies than servers the
// answer errs on the safe side; its meta leader judges by the usage servers last reported, so just after
// changes it may offer a few MiB less (seen on a private 3-server 2.9 cluster). The probe is a check, not a
// reservation: a stream created elsewhere meanwhile can still take the room. An account's limit on one
// stream's size (storage_max_stream_bytes) is not checked.
import { setTimeout as sleep } from 'node:timers/promises'
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream'
import { MiB } from './stream-settings.js'

export interface Room {
  /** Whether the server accepted `bytes` more. */
  fits: boolean
  /** When it did not: the most it accepted, at least this and less than 1 MiB more. */
  offered?: number
  /** The account's own file storage limit, when it has one (for the R<replicas> tier if tiered). */
  accountLimit?: number
}

const PRECISION = MiB

function noRoom (err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  const message = (err as Error).message ?? ''
  return code === 10047 || code === 10023 || (code === 10005 && /insufficient storage/i.test(message)) || /insufficient (storage )?resources/i.test(message)
}

function notFound (err: unknown): boolean {
  return (err as { name?: string }).name === 'StreamNotFoundError' || /stream not found/i.test((err as Error).message)
}

/**
 * jsm.streams.add, again when nats-server 2.9 loses a race with itself: deleting an account's last stream
 * removes the account's store directory, and a stream created at that moment fails with 10077 "could not
 * create storage directory - mkdir …/$G/streams: no such file or directory" (seen in CI with test files
 * creating and deleting their streams side by side on a server holding no other stream). The stream did
 * not exist before the call, so whatever the failed create left is deleted and the create asked again;
 * any other error is thrown at once.
 */
export async function addStream (jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await jsm.streams.add(config)
      return
    } catch (err) {
      const storageDirectoryRace = (err as { code?: unknown }).code === 10077 || /could not create storage directory/i.test((err as Error).message ?? '')
      if (!storageDirectoryRace || attempt >= 10) throw err
      await sleep(20 * attempt)
      // The failed create may have left the stream's record behind (the next add then answers "already in
      // use"): it holds nothing and was not there before this call, so it goes.
      await jsm.streams.delete(config.name).catch((e: unknown) => { if (!notFound(e)) throw e })
    }
  }
}

/** The account's file storage limit, or undefined when it has none (-1). */
export async function accountStorageLimit (jsm: JetStreamManager, replicas: number): Promise<number | undefined> {
  const info = await jsm.getAccountInfo()
  const limit = info.tiers?.[`R${replicas}`]?.limits.max_storage ?? info.limits.max_storage
  return limit >= 0 ? limit : undefined
}

/**
 * Asks the server for `bytes` more file storage in a stream of `replicas` copies, through a probe stream
 * `probe.name` on `probe.subject` that is deleted again (and first, in case a killed run left it behind).
 */
export async function checkRoom (jsm: JetStreamManager, probe: { name: string, subject: string }, bytes: number, replicas: number): Promise<Room> {
  const accountLimit = await accountStorageLimit(jsm, replicas)
  const limit = accountLimit === undefined ? {} : { accountLimit }
  await jsm.streams.delete(probe.name).catch((err: unknown) => { if (!notFound(err)) throw err })
  const accepts = async (size: number): Promise<boolean> => {
    try {
      await addStream(jsm, {
        name: probe.name,
        subjects: [probe.subject],
        description: 'streams:apply asking for room; deleted at once',
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_bytes: size,
        num_replicas: replicas
      })
    } catch (err) {
      if (noRoom(err)) return false
      throw err
    }
    await jsm.streams.delete(probe.name)
    return true
  }
  if (bytes <= 0 || await accepts(bytes)) return { fits: true, ...limit }
  let accepted = 0
  let refused = bytes
  while (refused - accepted > PRECISION) {
    const size = Math.floor((accepted + refused) / 2)
    if (await accepts(size)) accepted = size
    else refused = size
  }
  return { fits: false, offered: accepted, ...limit }
}
