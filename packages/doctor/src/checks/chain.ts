import { connectChain, type LocalChain, resolveEndpoint, SubtensorChain } from '@omron/chain';
import type { DoctorContext } from '../context.js';
import { type Check, type CheckOutcome, fail, pass, skip, warn } from '../report.js';
import { hostPort, probeTcp } from './tcp.js';

/**
 * The chain answers: the embedded LocalChain's state opens, or the subtensor endpoint accepts a
 * connection and reports its runtime. A refused TCP connection is reported at once, without waiting
 * for the API's timeout.
 */
export const chainCheck: Check<DoctorContext> = {
  id: 'chain',
  title: 'chain endpoint',
  async run(ctx) {
    const t = ctx.target;
    if (t.isLocal) {
      const chain = await connectChain({
        network: 'local',
        localnetDir: t.localnet.dir,
        blockTimeMs: t.localnet.blockTimeMs,
      });
      ctx.chain = chain;
      ctx.closers.push(() => chain.close());
      const block = await chain.currentBlock();
      return pass(`embedded local network in ${(chain as LocalChain).dir}, block ${block}`, {
        network: 'local',
        block,
      });
    }
    let endpoint: string;
    try {
      endpoint = resolveEndpoint(t.network, t.chainEndpoint);
    } catch (err) {
      return fail((err as Error).message, 'use --subtensor.network finney|test|local or a ws(s):// URL');
    }
    const { host, port } = hostPort(endpoint);
    const tcp = await probeTcp(host, port, t.timeoutMs);
    const fix =
      t.network === 'local'
        ? 'start your local subtensor node, or drop --subtensor.chain_endpoint to use the embedded local network'
        : 'check the endpoint, your network and firewall (outbound to the endpoint port), or use another --subtensor.chain_endpoint';
    if (tcp !== null) return fail(`${endpoint}: cannot connect (${tcp})`, fix, { endpoint, error: tcp });
    const chain = await SubtensorChain.connect({
      network: t.network,
      ...(t.chainEndpoint ? { endpoint: t.chainEndpoint } : {}),
      timeoutMs: t.timeoutMs,
    }).catch((err: Error) => err);
    if (chain instanceof Error) return fail(`${endpoint}: ${chain.message}`, fix, { endpoint });
    ctx.chain = chain;
    ctx.closers.push(() => chain.close());
    const version = chain.api.runtimeVersion;
    const block = await chain.currentBlock();
    const spec = `${version.specName.toString()} v${version.specVersion.toNumber()}`;
    return pass(`${endpoint}: runtime ${spec}, block ${block}`, {
      endpoint,
      specName: version.specName.toString(),
      specVersion: version.specVersion.toNumber(),
      block,
    });
  },
};

/** The hotkey holds a uid on the netuid (on the local network the first start registers it). */
export const registrationCheck: Check<DoctorContext> = {
  id: 'registration',
  title: 'hotkey registered',
  async run(ctx) {
    const t = ctx.target;
    if (!ctx.chain) return skip('needs the chain');
    if (!ctx.hotkeyAddress) {
      return t.isLocal
        ? pass('the development wallet is created and registered at first start')
        : skip('needs the wallet');
    }
    const uid = await ctx.chain.uidForHotkey(t.netuid, ctx.hotkeyAddress);
    ctx.uid = uid;
    if (uid === null) {
      if (t.isLocal) return pass(`not registered on netuid ${t.netuid} yet; the first start registers it`);
      return fail(
        `hotkey ${ctx.hotkeyAddress} is not registered on netuid ${t.netuid} of ${t.network}`,
        `btcli subnets register --netuid ${t.netuid} --wallet.name ${t.wallet.name} --wallet.hotkey ${t.wallet.hotkey} --network ${t.network} (costs TAO: check the price first)`,
      );
    }
    const graph = await ctx.chain.metagraph(t.netuid);
    const neuron = graph.neurons[uid];
    if (neuron) ctx.neuron = neuron;
    return pass(`uid ${uid} on netuid ${t.netuid}`, { uid, netuid: t.netuid });
  },
};

/** Minimum stake the miners' default blacklist asks of a validator (`--blacklist.min_stake`). */
export const VALIDATOR_MIN_STAKE = 1024;

/** Stake and validator permit as the role needs them: a validator without a permit is refused by every miner. */
export const stakeCheck: Check<DoctorContext> = {
  id: 'stake',
  title: 'stake and permit',
  async run(ctx) {
    const t = ctx.target;
    const n = ctx.neuron;
    if (!n)
      return skip(ctx.uid === null && t.isLocal ? 'registered at first start' : 'needs a registered uid');
    const data = { stake: n.stake, validatorPermit: n.validatorPermit };
    const stake = `${n.stake.toFixed(3)} staked`;
    if (t.role !== 'validator') {
      return pass(
        `${stake}${n.validatorPermit ? ', has a validator permit' : ''} (a miner needs none)`,
        data,
      );
    }
    const add = `btcli stake add --netuid ${t.netuid} --wallet.name ${t.wallet.name} --wallet.hotkey ${t.wallet.hotkey}`;
    if (!n.validatorPermit) {
      return fail(
        `${stake}, no validator permit: miners refuse this validator and weights are rejected`,
        `stake more (${add}); permits go to the top validators by stake at each epoch`,
        data,
      );
    }
    if (n.stake < VALIDATOR_MIN_STAKE) {
      return warn(
        `${stake}, has a permit, but miners with the default blacklist want ≥ ${VALIDATOR_MIN_STAKE}`,
        `stake more (${add})`,
        data,
      );
    }
    return pass(`${stake}, has a validator permit`, data);
  },
};

/**
 * An axon accepts a nonce up to 4 s old plus the request timeout (the SDK's ALLOWED_DELTA): a clock off by
 * more fails requests. A fresh block's timestamp also lags its arrival by authoring and gossip (about 0.5–2 s),
 * so a reading above {@link WARN_CLOCK_SKEW_MS} is only a warning and above {@link MAX_CLOCK_SKEW_MS} a failure.
 */
export const MAX_CLOCK_SKEW_MS = 4_000;
export const WARN_CLOCK_SKEW_MS = 2_000;
/** Blocks come every 12 s: wait that long (plus margin) for a fresh one. */
const FRESH_BLOCK_WAIT_MS = 15_000;

/**
 * This machine's clock against the chain's: the `Timestamp` of a block read as it arrives. The head a
 * subscription reports first can be up to a block old, so the next one is awaited.
 */
export const clockCheck: Check<DoctorContext> = {
  id: 'clock',
  title: 'clock skew',
  async run(ctx) {
    const chain = ctx.chain;
    if (!chain) return skip('needs the chain');
    if (!(chain instanceof SubtensorChain)) {
      return pass('the local network keeps time with this machine’s clock', { skewMs: 0 });
    }
    const api = chain.api;
    const readSkew = async () => {
      const now = Date.now();
      const ts = Number((await api.query.timestamp!.now!()).toString());
      return now - ts;
    };
    const waitMs = Math.max(ctx.target.timeoutMs, FRESH_BLOCK_WAIT_MS);
    const fresh = await new Promise<number | null>((resolve) => {
      let first: number | undefined;
      let stop: () => void = () => {};
      const timer = setTimeout(() => {
        stop();
        resolve(null);
      }, waitMs);
      stop = chain.onBlock((block) => {
        first ??= block;
        if (block === first) return;
        clearTimeout(timer);
        stop();
        readSkew().then(resolve, () => resolve(null));
      });
    });
    if (fresh === null) {
      const lag = await readSkew();
      if (lag < -MAX_CLOCK_SKEW_MS) {
        return fail(`this clock is ${(-lag / 1000).toFixed(1)} s behind the chain`, CLOCK_FIX, {
          skewMs: lag,
        });
      }
      return warn(
        `no new block within ${waitMs} ms; the newest block is ${(lag / 1000).toFixed(1)} s old by this clock`,
        'rerun to measure the skew on a fresh block; check the node is producing or syncing blocks',
        { skewMs: lag },
      );
    }
    return clockVerdict(fresh);
  },
};

const CLOCK_FIX =
  'synchronise the clock (timedatectl set-ntp true; chrony or systemd-timesyncd), then check `timedatectl status`';

/** The verdict on a skew measured against a fresh block (positive: this clock is ahead). */
export function clockVerdict(skewMs: number): CheckOutcome {
  const data = { skewMs };
  const text = `${Math.abs(skewMs)} ms ${skewMs >= 0 ? 'ahead of' : 'behind'} the newest block's timestamp`;
  if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) return fail(`this clock is ${text}`, CLOCK_FIX, data);
  if (Math.abs(skewMs) > WARN_CLOCK_SKEW_MS) return warn(`this clock is ${text}`, CLOCK_FIX, data);
  return pass(text, data);
}
