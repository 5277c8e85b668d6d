import type { Measurement } from './measure.ts';

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** A markdown table, so a run can be pasted into docs/benchmarks.md as it is. */
export function markdownTable(title: string, rows: Measurement[]): string {
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  // CPU columns only when some row measured them, so benches that do not keep their narrower table.
  const cpu = rows.some((row) => row.clientCpuUs !== undefined || row.serverCpuUs !== undefined);
  const lines = [
    `### ${title}`,
    '',
    `| case | throughput | p50 ms | p99 ms | RSS MB |${cpu ? ' client CPU µs/op | server CPU µs/op |' : ''} vs baseline |`,
    `| --- | ---: | ---: | ---: | ---: |${cpu ? ' ---: | ---: |' : ''} ---: |`,
  ];
  for (const row of rows) {
    const base = row.baseline ? byLabel.get(row.baseline) : undefined;
    const ratio = base ? `${(row.perSecond / base.perSecond).toFixed(2)}x ${row.baseline}` : '-';
    lines.push(
      `| ${row.label} | ${Math.round(row.perSecond).toLocaleString('en-US')} ${row.unit} | ${fixed(row.p50Ms, 2)} | ${fixed(row.p99Ms, 2)} | ${fixed(row.rssMb, 0)} |${cpu ? ` ${fixed(row.clientCpuUs ?? Number.NaN, 0)} | ${fixed(row.serverCpuUs ?? Number.NaN, 0)} |` : ''} ${ratio} |`,
    );
  }
  return lines.join('\n');
}
