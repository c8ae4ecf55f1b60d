import { describe, expect, it } from 'vitest';
import { HAVE_FIXTURES, replayChain, SKIP_REASON } from '../test-support/fixtures.js';
import { devWallet } from '../test-support/wallets.js';
import { commitThenReveal } from './commit-reveal.js';

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

describe.skipIf(!HAVE_FIXTURES)('commit-reveal', () => {
  it('refuses the timelocked variant with COMMIT_REVEAL_UNSUPPORTED before sending anything', async () => {
    const { chain, provider } = await replayChain(['neurons_lite']);
    try {
      const sent = provider.requests.length;
      const input = {
        netuid: 2,
        signer: (await devWallet('validator')).hotkey,
        uids: [1],
        weights: [65535],
        versionKey: 0,
        hyperparameters: {
          tempo: 360,
          weightsRateLimit: 100,
          minAllowedWeights: 1,
          maxWeightLimit: 65535,
          weightsVersionKey: 0,
          commitRevealEnabled: true,
          revealPeriodEpochs: 1,
        },
        waitForBlock: async () => undefined,
      };
      await expect(commitThenReveal(chain.api, 'timelock', input)).rejects.toMatchObject({
        code: 'COMMIT_REVEAL_UNSUPPORTED',
      });
      expect(provider.requests.length).toBe(sent);
    } finally {
      await chain.close();
    }
  });
});
