import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

// A child process: the warning is process-wide state, and this file's own process has already used the SRS.
it('warns about the development SRS once per process, not per proof', async () => {
  const fixtures = pathToFileURL(join(import.meta.dirname, 'fixtures.ts')).href;
  const script = `
    import { inputsFor, rig } from ${JSON.stringify(fixtures)};
    const r = await rig('ops');
    const input = inputsFor(r.model);
    const first = await r.prover.prove(input);
    await r.prover.prove(input);
    for (let i = 0; i < 2; i++) {
      if (!(await r.verifier.verify(first.proof, first.publicInputs))) process.exit(3);
    }
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, stderr).toBe(0);
  // setup, two proofs and two verifications used the insecure SRS: one line says so.
  expect(stderr.match(/uses the INSECURE development SRS/g)).toHaveLength(1);
}, 180_000);
