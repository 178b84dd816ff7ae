/**
 * docs/sender-scale.svg: achieved parts per second over time against the cap,
 * one panel per sender run (caps differ by ten times, so each has its own
 * scale). Plain SVG written by hand: no chart library for two line plots.
 */

export interface ChartRun {
  capPartsPerSecond: number;
  partsPerMessage: number;
  ratio: number;
  duplicates: number;
  missing: number;
  hottestItemWritesPerSecond: number;
  partsPerSecond: number[];
}

const WIDTH = 720;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 64, right: 24, top: 44, bottom: 40 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (x: number) => Math.round(x * 10) / 10;

/** A round step for about five grid lines up to `max`. */
function step(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

function panel(run: ChartRun, top: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const series = run.partsPerSecond;
  const yMax = Math.max(run.capPartsPerSecond * 1.2, ...series);
  const xMax = Math.max(1, series.length - 1);
  const x = (s: number) => MARGIN.left + (s / xMax) * plotWidth;
  const y = (v: number) => top + MARGIN.top + plotHeight - (v / yMax) * plotHeight;
  const out: string[] = [];
  const title = `cap ${run.capPartsPerSecond} parts/s, ${run.partsPerMessage}-part messages`;
  const detail = `achieved / cap ${run.ratio} · ${run.duplicates} duplicates · ${run.missing} missing · hottest quota item ${run.hottestItemWritesPerSecond} writes/s`;
  out.push(`<text x="${MARGIN.left}" y="${top + 18}" class="title">${escapeXml(title)}</text>`);
  out.push(`<text x="${MARGIN.left}" y="${top + 33}" class="axis">${escapeXml(detail)}</text>`);
  const yStep = step(yMax);
  for (let v = 0; v <= yMax; v += yStep) {
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" class="grid"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${fixed(y(v) + 4)}" class="axis" text-anchor="end">${v}</text>`);
  }
  const xStep = step(xMax);
  for (let s = 0; s <= xMax; s += xStep) out.push(`<text x="${fixed(x(s))}" y="${top + PANEL_HEIGHT - MARGIN.bottom + 16}" class="axis" text-anchor="middle">${s}</text>`);
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${top + PANEL_HEIGHT - 6}" class="axis" text-anchor="middle">seconds since the first SMS</text>`);
  out.push(
    `<text x="16" y="${top + MARGIN.top + plotHeight / 2}" class="axis" text-anchor="middle" transform="rotate(-90 16 ${top + MARGIN.top + plotHeight / 2})">parts per second</text>`,
  );
  const cap = fixed(y(run.capPartsPerSecond));
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${cap}" y2="${cap}" class="cap"/>`);
  out.push(`<text x="${WIDTH - MARGIN.right}" y="${cap - 5}" class="legend cap-label" text-anchor="end">cap</text>`);
  const points = series.map((v, s) => `${fixed(x(s))},${fixed(y(v))}`).join(' ');
  out.push(`<polyline points="${points}" class="achieved"/>`);
  for (const [s, v] of series.entries()) out.push(`<circle cx="${fixed(x(s))}" cy="${fixed(y(v))}" r="2.5" class="dot"><title>second ${s}: ${v} parts</title></circle>`);
  return out.join('\n  ');
}

export function senderScaleSvg(runs: ChartRun[]): string {
  const height = PANEL_HEIGHT * runs.length + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">
  <title>Sender: parts handed to SNS per second against the cap (npm run bench)</title>
  <style>
    .title { font-size: 12px; font-weight: bold; fill: #222; }
    .axis { font-size: 11px; fill: #555; }
    .legend { font-size: 11px; }
    .grid { stroke: #e3e3e3; stroke-width: 1; }
    .cap { stroke: #c0392b; stroke-width: 1.5; stroke-dasharray: 6 4; }
    .cap-label { fill: #c0392b; }
    .achieved { fill: none; stroke: #1f6fb2; stroke-width: 2; }
    .dot { fill: #1f6fb2; }
  </style>
  <rect width="100%" height="100%" fill="#fff"/>
  ${runs.map((run, i) => panel(run, i * PANEL_HEIGHT)).join('\n  ')}
  <text x="${MARGIN.left}" y="${height - 10}" class="axis">Blue: parts handed over in each second (the first and last seconds are partial). Dashed red: the cap.</text>
</svg>
`;
}
