export type { Actor, ActorKind, Checkpoint, EventData, EventMetadata, NewEvent, RecordedEvent } from './envelope.ts';
export { START, compareCheckpoints, formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
export { InvalidAppendError, LogRewoundError, WrongExpectedVersionError, isLogRewound, isWrongExpectedVersion } from './errors.ts';
