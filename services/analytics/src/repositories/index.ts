// The repositories the reports read through, built from one database handle: what app.ts hands the use cases.
// The projections build theirs from the transaction they write in.
import { analyticsInbox } from '@dreamseed/schema/analytics'
import { createInbox, type Db, type Inbox } from '@dreamseed/kit'
import { createAccessRepository } from './access-repository.js'
import { createClassroomReportRepository } from './classroom-report-repository.js'
import { createExamSummaryRepository } from './exam-summary-repository.js'
import { createItemCalibrationRepository } from './item-calibration-repository.js'
import { createItemStatisticsRepository } from './item-statistics-repository.js'
import { createStudentProgressRepository } from './student-progress-repository.js'
import { createScalesRepository } from './scales-repository.js'
import { createTermsRepository } from './terms-repository.js'
import { createTermScoresRepository } from './term-scores-repository.js'

export function createRepositories (db: Db) {
  return {
    access: createAccessRepository(db),
    studentProgress: createStudentProgressRepository(db),
    classroomReports: createClassroomReportRepository(db),
    itemStatistics: createItemStatisticsRepository(db),
    itemCalibration: createItemCalibrationRepository(db),
    examSummaries: createExamSummaryRepository(db),
    scales: createScalesRepository(db),
    terms: createTermsRepository(db),
    termScores: createTermScoresRepository(db)
  }
}

export type Repositories = ReturnType<typeof createRepositories>

/** The inbox incoming events are applied through: each event's id recorded in the transaction of its effects. */
export const createEventInbox = (db: Db): Inbox => createInbox(db, analyticsInbox)
