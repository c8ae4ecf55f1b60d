export {
  chainCheck,
  clockCheck,
  clockVerdict,
  MAX_CLOCK_SKEW_MS,
  registrationCheck,
  stakeCheck,
  VALIDATOR_MIN_STAKE,
  WARN_CLOCK_SKEW_MS,
} from './checks/chain.js';
export { keysCheck, recordedSrsChecksum, srsCheck, srsFileSize } from './checks/circuits.js';
export {
  announceCheck,
  isPrivateAddress,
  portCheck,
  redisCheck,
  redisPing,
  tryListen,
} from './checks/network.js';
export { walletCheck } from './checks/wallet.js';
export {
  type DoctorContext,
  type DoctorRole,
  type DoctorTarget,
  isDevelopmentNetwork,
  type ListenSpec,
} from './context.js';
export {
  type Check,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  type DoctorReport,
  formatResult,
  formatSummary,
  runChecks,
} from './report.js';
export { CHECKS } from './roles.js';
export {
  DOCTOR_OPTIONS,
  DOCTOR_USAGE,
  type DoctorFlags,
  diagnose,
  parseDoctorFlags,
  runDoctorCommand,
} from './run.js';
