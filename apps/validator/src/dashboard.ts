import type { StepRecord } from './state.js';

/** One miner's row, as `/api/miners` serves it. */
export interface MinerRow {
  uid: number;
  hotkey: string;
  score: number;
  lastResponseTimeS: number | null;
  verifiedRatio: number | null;
  queries: number;
  lastError: string | null;
  weight: number | null;
}

export interface DashboardModel {
  network: string;
  netuid: number;
  selfUid: number;
  step: number;
  miners: MinerRow[];
  steps: readonly StepRecord[];
  weightsBlock: number | null;
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Series = { uid: number; points: [number, number][] };

/** A line chart as inline SVG: x = step, y = value; one line per uid with a legend. */
export function lineChart(title: string, series: Series[], unit: string): string {
  const w = 560;
  const h = 220;
  const pad = { l: 56, r: 12, t: 28, b: 28 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0)
    return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><p>No data yet.</p></figure>`;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const y1 = Math.max(...ys) * 1.1 || 1;
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
  const sy = (y: number) => h - pad.b - (y / y1) * (h - pad.t - pad.b);
  const lines = series.map((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points
      .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join(' ');
    const legend = `<text x="${pad.l + 8 + i * 70}" y="16" fill="${color}" font-size="12">uid ${s.uid}</text>`;
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2" data-uid="${s.uid}"/>${legend}`;
  });
  const axis = [
    `<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#999"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#999"/>`,
    `<text x="${pad.l - 4}" y="${pad.t + 4}" text-anchor="end" font-size="11">${formatNumber(y1)}${unit}</text>`,
    `<text x="${pad.l - 4}" y="${h - pad.b}" text-anchor="end" font-size="11">0</text>`,
    `<text x="${pad.l}" y="${h - 8}" font-size="11">step ${x0}</text>`,
    `<text x="${w - pad.r}" y="${h - 8}" text-anchor="end" font-size="11">step ${x1}</text>`,
  ];
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${axis.join('')}${lines.join('')}</svg></figure>`;
}

function formatNumber(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) < 0.01 ? x.toExponential(2) : x.toFixed(Math.abs(x) < 10 ? 3 : 1);
}

function seriesFrom(
  steps: readonly StepRecord[],
  uids: number[],
  pick: (s: StepRecord, uid: number) => number | null,
) {
  return uids.map((uid) => ({
    uid,
    points: steps.flatMap((s): [number, number][] => {
      const v = pick(s, uid);
      return v === null ? [] : [[s.step, v]];
    }),
  }));
}

/** The operator's page: a miners table and charts of scores and response times over recent steps. */
export function renderDashboard(model: DashboardModel): string {
  const uids = model.miners.map((m) => m.uid);
  const scoreChart = lineChart(
    'Score by step',
    seriesFrom(model.steps, uids, (s, uid) => s.scores[uid] ?? null),
    '',
  );
  const rtChart = lineChart(
    'Response time by step (s)',
    seriesFrom(model.steps, uids, (s, uid) => s.responses.find((r) => r.uid === uid)?.responseTimeS ?? null),
    's',
  );
  const rows = model.miners
    .map(
      (m) =>
        `<tr data-uid="${m.uid}"><td>${m.uid}</td><td class="mono" title="${escapeHtml(m.hotkey)}">${escapeHtml(m.hotkey.slice(0, 10))}…</td>` +
        `<td>${formatNumber(m.score)}</td><td>${m.weight === null ? '–' : m.weight}</td>` +
        `<td>${m.lastResponseTimeS === null ? '–' : `${m.lastResponseTimeS.toFixed(2)} s`}</td>` +
        `<td>${m.verifiedRatio === null ? '–' : `${(m.verifiedRatio * 100).toFixed(0)} % of ${m.queries}`}</td>` +
        `<td class="${m.lastError ? 'err' : ''}">${m.lastError ? escapeHtml(m.lastError.slice(0, 120)) : 'ok'}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Omron validator · netuid ${model.netuid}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:12px 0}
td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}th{background:#f4f4f5}.mono{font-family:monospace}
.err{color:#b91c1c}.charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600}</style></head>
<body><h1>Omron validator</h1>
<p>Network <b>${escapeHtml(model.network)}</b> · netuid <b>${model.netuid}</b> · validator uid <b>${model.selfUid}</b> · step <b id="step">${model.step}</b> · last weights at block <b>${model.weightsBlock ?? '–'}</b></p>
<p><a href="/try">Try a verified inference →</a></p>
<table id="miners"><thead><tr><th>uid</th><th>hotkey</th><th>score</th><th>weight</th><th>last response</th><th>verified</th><th>last error</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">No miners queried yet.</td></tr>'}</tbody></table>
<div class="charts">${scoreChart}${rtChart}</div></body></html>`;
}
