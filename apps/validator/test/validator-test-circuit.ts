// The validator CLI with the stand-in commitment circuit instead of the circuit store (no prover, no keys):
// for tests of the chain path, which need a real validator process but no real proofs.
import { loadConfig } from '../src/config.js';
import { commitmentCircuit } from '../src/test-support/commitment-circuit.js';
import { startValidator } from '../src/validator.js';

const validator = await startValidator(loadConfig(process.argv.slice(2)), {
  circuits: [commitmentCircuit()],
});
process.stdout.write(`validator ready uid ${validator.uid}\n`);
process.on('SIGTERM', () => {
  validator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
