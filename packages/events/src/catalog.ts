// Every event contract this platform publishes, in one list (the catalog other teams read).
import type { EventContract } from './envelope.js'
import { userCreatedV1 } from './user/user-created.js'
import { userVerifiedV1 } from './user/user-verified.js'
import { userVerificationRequestedV1 } from './user/user-verification-requested.js'
import { userRegistrationRepeatedV1 } from './user/user-registration-repeated.js'
import { userRoleChangedV1 } from './user/user-role-changed.js'
import { userDisabledV1 } from './user/user-disabled.js'
import { userAccommodationsChangedV1 } from './user/user-accommodations-changed.js'
import { userInvitedV1 } from './user/user-invited.js'
import { organizationCreatedV1 } from './organization/organization-created.js'
import { organizationMemberAddedV1 } from './organization/organization-member-added.js'
import { classroomCreatedV1 } from './organization/classroom-created.js'
import { classroomMemberAddedV1 } from './organization/classroom-member-added.js'
import { classroomMemberRemovedV1 } from './organization/classroom-member-removed.js'
import { userPasswordResetRequestedV1 } from './user/user-password-reset-requested.js'
import { userPasswordChangedV1 } from './user/user-password-changed.js'
import { examSessionStartedV1 } from './exam/exam-session-started.js'
import { examResponseRecordedV1 } from './exam/exam-response-recorded.js'
import { examSessionCompletedV1 } from './exam/exam-session-completed.js'
import { examItemChangedV1 } from './exam/exam-item-changed.js'
import { examAssignmentChangedV1 } from './exam/exam-assignment-changed.js'
import { examSessionPausedV1 } from './exam/exam-session-paused.js'
import { examSessionResumedV1 } from './exam/exam-session-resumed.js'
import { examSessionExtendedV1 } from './exam/exam-session-extended.js'
import { examSessionVoidedV1 } from './exam/exam-session-voided.js'
import { analyticsItemPromotedV1 } from './analytics/item-calibration-promoted.js'

export const CATALOG: EventContract[] = [userCreatedV1, userVerifiedV1, userVerificationRequestedV1, userRegistrationRepeatedV1,
  userRoleChangedV1, userDisabledV1, organizationCreatedV1, organizationMemberAddedV1, classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, userPasswordResetRequestedV1, userPasswordChangedV1, userInvitedV1, userAccommodationsChangedV1,
  examSessionStartedV1, examResponseRecordedV1, examSessionCompletedV1, examItemChangedV1, examAssignmentChangedV1, analyticsItemPromotedV1,
  examSessionPausedV1, examSessionResumedV1, examSessionExtendedV1, examSessionVoidedV1]

export function contractFor (type: string, version: number): EventContract | undefined {
  return CATALOG.find((c) => c.type === type && c.version === version)
}
