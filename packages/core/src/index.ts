export { type AtomicWriteOptions, writeFileAtomic } from './atomic-write.js';
export { SHARED_ERROR_CODES, type SharedErrorCode } from './codes.js';
export {
  type ErrorBody,
  errorResponse,
  isOmronError,
  OMRON_ERROR,
  OmronError,
  type OmronErrorOptions,
} from './errors.js';
