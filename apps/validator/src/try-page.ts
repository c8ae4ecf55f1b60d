/** What the "try it" page needs: the circuits, and how to reach the inference API from the browser. */
export interface TryPageModel {
  circuits: readonly { id: string; name: string }[];
  /** The API serves without signatures (local network): the browser can call it directly. */
  public: boolean;
  /** The inference API's own port, when it is not on this server. */
  apiPort: number | undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page's script: asks `/v1/infer`, then checks the answer in the browser — the verifying key it downloads
 * must hash (SHA-256) to the circuit id, the proof's leading public signals must be its own quantization of the
 * inputs it sent (round(x·2^scale)), and the outputs shown must be the proof's output signals — and has the
 * proof itself re-checked against the downloaded key through `/v1/verify` (a browser has no halo2 verifier).
 */
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const api = (path) => API_BASE + path;
const info = {};
async function circuitInfo(id) {
  info[id] ??= await (await fetch(api('/v1/circuits/' + id))).json();
  return info[id];
}
async function generate() {
  const id = $('circuit').value;
  const res = await fetch('/try/example/' + id);
  $('inputs').value = JSON.stringify(await res.json());
}
function show(id, text, ok) {
  const el = $(id);
  el.textContent = text;
  el.className = ok === undefined ? '' : ok ? 'ok' : 'bad';
}
async function sha256Hex(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
async function checkLocally(answer, inputs, circuit) {
  const problems = [];
  const vk = new Uint8Array(await (await fetch(api(circuit.vk))).arrayBuffer());
  const hash = await sha256Hex(vk);
  if (hash === null) problems.push('no WebCrypto on this origin');
  else if (hash !== circuit.id) problems.push('the verifying key does not hash to the circuit id');
  const flat = inputs.flat();
  const scale = 2 ** circuit.scales.input;
  // The prover's rounding: half away from zero.
  const quantize = (x) => Math.sign(x) * Math.round(Math.abs(x * scale));
  const bound = flat.every((x, i) => BigInt(quantize(x)) === BigInt(answer.publicSignals[i]));
  if (!bound) problems.push('the proof is not for our inputs');
  const outScale = 2 ** circuit.scales.output;
  const proven = answer.publicSignals.slice(flat.length).map((s) => Number(s) / outScale);
  const claimed = answer.outputs.flat();
  if (proven.length !== claimed.length || proven.some((v, i) => v !== claimed[i])) problems.push('outputs differ from the proof');
  const check = await fetch(api('/v1/verify'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ circuit: circuit.id, inputs, proof: answer.proof, publicSignals: answer.publicSignals }),
  });
  const verdict = check.ok ? await check.json() : { verified: false, reason: 'HTTP ' + check.status };
  if (!verdict.verified) problems.push('proof re-check failed: ' + (verdict.reason ?? ''));
  return problems;
}
async function run() {
  for (const id of ['verified', 'local', 'miner', 'timings', 'outputs', 'error']) show(id, '');
  $('run').disabled = true;
  try {
    const id = $('circuit').value;
    let inputs;
    try {
      inputs = JSON.parse($('inputs').value);
    } catch {
      show('error', 'the input is not JSON', false);
      return;
    }
    if (Array.isArray(inputs) && inputs.every((v) => typeof v === 'number')) inputs = [inputs];
    show('verified', 'asking miners…');
    const res = await fetch(api('/v1/infer'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ circuit: id, inputs }),
    });
    const body = await res.json();
    if (!res.ok) {
      show('verified', '');
      show('error', body.error.code + ': ' + body.error.message, false);
      return;
    }
    show('verified', 'verified by the validator ✓', true);
    show('miner', 'uid ' + body.miner.uid + ' · ' + body.miner.hotkey + (body.skipped.length ? ' (skipped: ' + body.skipped.map((s) => s.uid + ' ' + s.reason).join(', ') + ')' : ''));
    const t = body.timings;
    show('timings', 'total ' + t.totalMs.toFixed(0) + ' ms · miner ' + t.minerMs.toFixed(0) + ' ms · verify ' + t.verifyMs.toFixed(0) + ' ms · attempts ' + t.attempts);
    show('outputs', JSON.stringify(body.outputs));
    show('local', 'checking…');
    const problems = await checkLocally(body, inputs, await circuitInfo(body.circuit.id));
    show('local', problems.length === 0 ? 'verified locally ✓ (key hash, input binding, outputs, proof re-check)' : 'NOT verified: ' + problems.join('; '), problems.length === 0);
  } catch (err) {
    show('error', String(err), false);
  } finally {
    $('run').disabled = false;
  }
}
$('generate').addEventListener('click', generate);
$('run').addEventListener('click', run);
$('circuit').addEventListener('change', generate);
generate();
`;

/** The "try it" page of the dashboard: pick a circuit, enter or generate an input, get a verified output. */
export function renderTryPage(model: TryPageModel): string {
  const options = model.circuits
    .map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.name)}</option>`)
    .join('');
  const apiBase =
    model.apiPort === undefined
      ? 'location.origin'
      : `location.protocol + '//' + location.hostname + ':${model.apiPort}'`;
  const note = model.public
    ? ''
    : '<p class="bad" id="auth-note">This validator requires signed requests (sr25519): the page cannot sign them. Use <code>@omron/client</code> or <code>omron infer</code>, or run the local network with <code>--api.public</code>.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Omron validator · try a verified inference</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111;max-width:960px}textarea{width:100%;height:120px;font-family:monospace}
dt{font-weight:600;margin-top:8px}dd{margin:2px 0 0 0;font-family:monospace;word-break:break-all}.ok{color:#15803d}.bad{color:#b91c1c}
button{margin:8px 8px 8px 0;padding:4px 12px}</style></head>
<body><h1>Try a verified inference</h1><p><a href="/">← miners</a></p>${note}
<label>Circuit <select id="circuit">${options}</select></label>
<p><textarea id="inputs" aria-label="inputs (JSON: one array per model input)"></textarea></p>
<button id="generate" type="button">Generate input</button><button id="run" type="button">Run</button>
<dl><dt>Result</dt><dd id="verified"></dd><dt>Checked here</dt><dd id="local"></dd><dt>Miner</dt><dd id="miner"></dd>
<dt>Times</dt><dd id="timings"></dd><dt>Outputs</dt><dd id="outputs"></dd><dt>Error</dt><dd id="error"></dd></dl>
<script>const API_BASE = ${apiBase};${SCRIPT}</script></body></html>`;
}
