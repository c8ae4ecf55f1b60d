/** What `GET /v1/circuits` lists and `GET /v1/circuits/:id` answers. */
export interface CircuitInfo {
  /** hex sha256 of the verifying key: download it from `vk` and check. */
  id: string;
  name: string;
  description: string;
  proofSystem: string;
  /** One shape per model input (batch included); inputs are sent flattened, row-major. */
  inputShapes: number[][];
  outputShapes: number[][];
  /** Largest |x| an input value may have. */
  maxAbsInput: number;
  /** JSON Schema of `inputs`. */
  inputSchema: Record<string, unknown>;
  /** log2 of the circuit's rows: the SRS size a verifier needs. */
  k: number;
  /** Fixed-point scales: x_q = round(x · 2^input), outputs = y_q / 2^output. */
  scales: { input: number; param: number; output: number };
  /** True when the keys were built on the insecure development SRS (local networks only). */
  insecureSrs: boolean;
  timeoutS: number;
  /** Paths of the verifying key (bytes) and the settings (JSON). */
  vk: string;
  settings: string;
}

/** A verified answer of `POST /v1/infer` (and of the RPC method `infer`). */
export interface InferAnswer {
  circuit: { id: string; name: string };
  /** The outputs the proof attests to, one flat array per model output, dequantized. */
  outputs: number[][];
  /** The proof, `0x` hex. */
  proof: string;
  /** Every public instance as a signed decimal integer: the quantized inputs, then the quantized outputs. */
  publicSignals: string[];
  miner: { uid: number; hotkey: string };
  /** The validator verified the proof against its own quantization of the inputs it was given. */
  verified: true;
  timings: { totalMs: number; minerMs: number; verifyMs: number; attempts: number };
  /** Miners tried before the one that answered, and why each was skipped. */
  skipped: { uid: number; reason: string }[];
}

/** `POST /v1/verify` body: a proof someone holds, checked against the inputs they say it is for. */
export interface VerifyRequest {
  circuit: string;
  inputs: number[][];
  proof: string;
  publicSignals: string[];
}

export interface VerifyAnswer {
  verified: boolean;
  /** Why not, when not (`INPUT_MISMATCH`, `PROOF_INVALID`, …). */
  reason?: string;
  detail?: string;
}

/** The error body of every non-2xx answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A progress notification of the RPC method `infer` (`method: "progress"`). */
export interface InferProgress {
  /** The JSON-RPC id of the request it belongs to. */
  id: string | number;
  stage: 'routing' | 'querying' | 'verifying' | 'skipped' | 'done';
  uid?: number;
  attempt?: number;
  reason?: string;
}
