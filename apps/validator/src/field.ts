/** The BN254 scalar field modulus: public instances are elements of this field. */
export const BN254_FR_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * A quantized value as its canonical field element in [0, p): negative integers wrap to p − |x|, as a circuit
 * sees them. Returns null for anything that is not an integer (floats, junk text, values ≥ p written in hex, …).
 */
export function toFieldElement(value: unknown): bigint | null {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return null;
    n = BigInt(value);
  } else if (typeof value === 'string') {
    if (!/^(?:-?[0-9]{1,80}|0x[0-9a-fA-F]{1,64})$/.test(value)) return null;
    n = BigInt(value);
  } else return null;
  if (n >= BN254_FR_MODULUS || n <= -BN254_FR_MODULUS) return null;
  return n < 0n ? n + BN254_FR_MODULUS : n;
}
