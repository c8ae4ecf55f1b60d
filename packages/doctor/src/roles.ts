import { chainCheck, clockCheck, registrationCheck, stakeCheck } from './checks/chain.js';
import { keysCheck, srsCheck } from './checks/circuits.js';
import { announceCheck, portCheck, redisCheck } from './checks/network.js';
import { walletCheck } from './checks/wallet.js';
import type { DoctorContext, DoctorRole } from './context.js';
import type { Check } from './report.js';

/**
 * The checks of each role, in the order an operator fixes things: identity, chain, standing on the
 * subnet, network, proving material, time. A check whose prerequisite failed reports `skip`.
 */
export const CHECKS: Record<DoctorRole, readonly Check<DoctorContext>[]> = {
  miner: [
    walletCheck,
    chainCheck,
    registrationCheck,
    stakeCheck,
    portCheck,
    announceCheck,
    srsCheck,
    keysCheck,
    redisCheck,
    clockCheck,
  ],
  validator: [
    walletCheck,
    chainCheck,
    registrationCheck,
    stakeCheck,
    portCheck,
    srsCheck,
    keysCheck,
    clockCheck,
  ],
  // The proving-pool worker: no wallet or chain of its own, it proves what the miner queues.
  worker: [srsCheck, keysCheck, redisCheck],
};
