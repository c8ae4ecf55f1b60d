export { type AtomicWriteOptions, writeFileAtomic } from './atomic-write.js';
export { type ErrorBody, errorResponse, isOmronError, OmronError, type OmronErrorOptions } from './errors.js';
