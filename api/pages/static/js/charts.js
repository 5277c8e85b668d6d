// Inline SVG bar charts: no chart library, and each chart carries its figures as text for screen readers.
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shortens a label to about `room` half-width characters (a CJK character takes two). */
function fit(label, room) {
  let used = 0;
  let out = '';
  for (const ch of label) {
    used += /[\u2E80-\uFFEF]/.test(ch) ? 2 : 1;
    if (used > room) return `${out}…`;
    out += ch;
  }
  return out;
}

/**
 * Horizontal bars, one group per row: rows = [{ label, values: [{ value, series }] }], series = [{ name, tone }].
 * format(value) renders a value; max is the scale's end (defaults to the largest value).
 * @param {{ title: string, rows: Array<{ label: string, values: Array<{ value: number }> }>, series: Array<{ name: string, tone: string }>, format?: (value: number) => string, max?: number }} chart
 */
export function barChart({ title, rows, series, format = (v) => String(v), max }) {
  const labelWidth = 190;
  const width = 640;
  const barHeight = 16;
  const gap = 4;
  const groupGap = 14;
  const chartWidth = width - labelWidth - 60;
  const top = series.length > 1 ? 26 : 6;
  const scale = max ?? Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v.value ?? 0)));
  const groupHeight = series.length * (barHeight + gap) - gap;
  const height = top + rows.length * (groupHeight + groupGap) + 4;

  const summary = rows.map((r) => `${r.label}: ${r.values.map((v, i) => `${series[i].name} ${v.value === null ? '—' : format(v.value)}`).join(', ')}`).join('; ');
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `${title}. ${summary}`, class: 'chart' });
  svg.append(el('title', {}, title));

  if (series.length > 1) {
    series.forEach((s, i) => {
      const x = labelWidth + i * 130;
      svg.append(el('rect', { x, y: 6, width: 12, height: 12, class: `bar tone-${s.tone}`, rx: 2 }), el('text', { x: x + 18, y: 16, class: 'chart-legend' }, s.name));
    });
  }
  rows.forEach((row, r) => {
    const y0 = top + r * (groupHeight + groupGap);
    svg.append(el('text', { x: labelWidth - 8, y: y0 + groupHeight / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, fit(row.label, 28)));
    row.values.forEach((v, i) => {
      const y = y0 + i * (barHeight + gap);
      const w = v.value ? Math.max(2, (v.value / scale) * chartWidth) : 0;
      const rect = el('rect', { x: labelWidth, y, width: w, height: barHeight, rx: 3, class: `bar tone-${series[i].tone}` });
      rect.append(el('title', {}, `${row.label} · ${series[i].name}: ${v.value === null ? '—' : format(v.value)}`));
      svg.append(rect, el('text', { x: labelWidth + w + 6, y: y + barHeight - 4, class: 'chart-value' }, v.value === null ? '—' : format(v.value)));
    });
  });
  svg.append(el('line', { x1: labelWidth, x2: labelWidth, y1: top - 4, y2: height - 2, class: 'chart-axis' }));
  return svg;
}
