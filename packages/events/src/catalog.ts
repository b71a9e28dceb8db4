// Every event contract this platform publishes, in one list (the catalog other teams read).
import type { EventContract } from './envelope.js'
import { userCreatedV1 } from './user/user-created.js'
import { userVerifiedV1 } from './user/user-verified.js'
import { userVerificationRequestedV1 } from './user/user-verification-requested.js'
import { userRegistrationRepeatedV1 } from './user/user-registration-repeated.js'

export const CATALOG: EventContract[] = [userCreatedV1, userVerifiedV1, userVerificationRequestedV1, userRegistrationRepeatedV1]

export function contractFor (type: string, version: number): EventContract | undefined {
  return CATALOG.find((c) => c.type === type && c.version === version)
}
