/** Soft-deactivation of offboarded agents: the use case, its journal and the bulk runner. */
export { DeactivationError, STATE_CHANGE_REASONS } from './types';
export type {
  DeactivationErrorCode,
  DeactivationUseCase,
  LeftItem,
  RunOptions,
  RunReport,
  RunStatus,
  StateChangeReason,
  StepName,
  StepOutcome,
  StepReport,
} from './types';
export { Deactivator } from './deactivator';
export type { DeactivatorOptions } from './deactivator';
export type { IdentityCache } from './steps/types';
export { FileRunJournal, JOURNAL_SUBDIR } from './journal/fileRunJournal';
export type { FileRunJournalOptions } from './journal/fileRunJournal';
export type { JournalSession, RunJournal } from './journal/types';
export type { JournalRecord, RunAction } from './journal/records';
export { BulkRunner, MAX_CONCURRENCY } from './bulk';
export type { BulkItemResult, BulkProgress, BulkResult, BulkRunnerOptions } from './bulk';
export type { UserSnapshot } from './snapshot';
