// Runs expireDueSessions every few seconds for the life of the app: sessions left open past their deadline
// are ended, their results computed and their completed events written.
import { startBatchJob, type BatchJob } from '@dreamseed/kit'

export type SessionExpiry = BatchJob

export function startSessionExpiry (options: { expire: () => Promise<number>, batch: number, intervalMs: number, ended: (n: number) => void, log: { warn: (o: object, m: string) => void } }): SessionExpiry {
  return startBatchJob({ name: 'session-expiry', step: options.expire, batch: options.batch, intervalMs: options.intervalMs, handled: options.ended, log: options.log })
}
