// Child process for the multi-process test: registers `count` miners named `<prefix>-<i>` and serves an axon
// for each, as fast as it can, against the localnet in `dir`.
import { LocalChain } from '../local/local-chain.js';
import { devWallet } from './wallets.js';

const [dir, prefix, countText, netuidText] = process.argv.slice(2);
if (!dir || !prefix || !countText || !netuidText)
  throw new Error('usage: concurrent-writer <dir> <prefix> <count> <netuid>');
const netuid = Number(netuidText);
const chain = await LocalChain.open({ dir });
for (let i = 0; i < Number(countText); i++) {
  const wallet = await devWallet(`${prefix}-${i}`);
  await chain.register(netuid, wallet, { role: 'miner' });
  await chain.serveAxon(netuid, wallet, { ip: '10.0.0.1', port: 10_000 + i });
}
await chain.close();
