import { z } from 'zod';
import { CircuitStoreError } from './errors.js';
import type { InputGeneratorSpec } from './metadata.js';
import type { Rng } from './rng.js';

/** Number of elements in a tensor of this shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Draws one input per model input (flattened, row-major) from the metadata's generators. */
export function generateInput(
  inputs: readonly { shape: number[]; generator: InputGeneratorSpec }[],
  rng: Rng,
): number[][] {
  return inputs.map(({ shape, generator: g }) =>
    Array.from({ length: elementCount(shape) }, () => g.min + rng() * (g.max - g.min)),
  );
}

/**
 * The zod schema of a circuit's `public_inputs`: one flat array of finite numbers per model input,
 * each of the exact length, each |x| ≤ `maxAbs` (the range the circuit was built for).
 */
export function inputSchema(shapes: readonly number[][], maxAbs: number) {
  return z
    .array(
      z.array(z.number({ error: 'must be a finite number' }).finite(), {
        error: 'must be an array of numbers',
      }),
      {
        error: 'must be an array of input tensors (arrays of numbers)',
      },
    )
    .superRefine((tensors, ctx) => {
      if (tensors.length !== shapes.length) {
        ctx.addIssue({
          code: 'custom',
          message: `expected ${shapes.length} input tensor(s), got ${tensors.length}`,
        });
        return;
      }
      tensors.forEach((values, i) => {
        const shape = shapes[i] ?? [];
        const want = elementCount(shape);
        if (values.length !== want) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `must have ${want} values (shape [${shape}]), got ${values.length}`,
          });
          return;
        }
        const j = values.findIndex((v) => Math.abs(v) > maxAbs);
        if (j >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: [i, j],
            message: `${values[j]} is outside [-${maxAbs}, ${maxAbs}]`,
          });
        }
      });
    });
}

/** Validates `value` against a schema from {@link inputSchema}; `INVALID_INPUT` with a readable message. */
export function parseInput(schema: ReturnType<typeof inputSchema>, value: unknown): number[][] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where =
    issue && issue.path.length > 0 ? `public_inputs[${issue.path.join('][')}]: ` : 'public_inputs: ';
  throw new CircuitStoreError('INVALID_INPUT', `${where}${issue?.message ?? 'invalid'}`, {
    issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path, message: i.message })),
  });
}
