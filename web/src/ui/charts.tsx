// Two small SVG charts (no chart library: a few hundred bytes instead of tens of KB). Each has a
// title for screen readers and the same numbers in a visually hidden table.

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 560;

function DataTable({ caption, rows }: { caption: string; rows: Array<[string, string | number]> }) {
  return (
    <table class="sr-only">
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars, one per label; negative values extend left of the axis. */
export function BarChart({ title, bars, format = String }: { title: string; bars: Bar[]; format?: (n: number) => string }) {
  const rowHeight = 28;
  const labelWidth = 170;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  const hasNegative = bars.some((b) => b.value < 0);
  const span = WIDTH - labelWidth - 70;
  const zero = labelWidth + (hasNegative ? span / 2 : 0);
  const scale = (hasNegative ? span / 2 : span) / max;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        {bars.map((bar, i) => {
          const y = 4 + i * rowHeight;
          const w = Math.abs(bar.value) * scale;
          const x = bar.value < 0 ? zero - w : zero;
          return (
            <g key={bar.label}>
              <text x={labelWidth - 8} y={y + 17} text-anchor="end" font-size="13" fill="#1b1f24">
                {bar.label}
              </text>
              <rect x={x} y={y + 4} width={Math.max(1, w)} height={rowHeight - 10} fill={bar.value < 0 ? "#a4161a" : "#0b5cad"} />
              <text x={bar.value < 0 ? x - 4 : x + w + 4} y={y + 17} text-anchor={bar.value < 0 ? "end" : "start"} font-size="12" fill="#1b1f24">
                {format(bar.value)}
              </text>
            </g>
          );
        })}
        <line x1={zero} x2={zero} y1={0} y2={height} stroke="#4a5360" />
      </svg>
      <figcaption>{title}</figcaption>
      <DataTable caption={title} rows={bars.map((b) => [b.label, format(b.value)])} />
    </figure>
  );
}

export interface Point {
  label: string;
  value: number;
}

/** A line over time (points in order), with the y range given or taken from the data. */
export function LineChart({ title, points, min, max }: { title: string; points: Point[]; min?: number; max?: number }) {
  const height = 220;
  const pad = { left: 44, right: 12, top: 12, bottom: 28 };
  const lo = min ?? Math.min(...points.map((p) => p.value));
  const hi = max ?? Math.max(...points.map((p) => p.value));
  const range = hi - lo || 1;
  const x = (i: number) => pad.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (WIDTH - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - (v - lo) / range) * (height - pad.top - pad.bottom);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        <line x1={pad.left} x2={pad.left} y1={pad.top} y2={height - pad.bottom} stroke="#4a5360" />
        <line x1={pad.left} x2={WIDTH - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} stroke="#4a5360" />
        <text x={pad.left - 6} y={y(hi) + 4} text-anchor="end" font-size="12" fill="#1b1f24">
          {hi}
        </text>
        <text x={pad.left - 6} y={y(lo) + 4} text-anchor="end" font-size="12" fill="#1b1f24">
          {lo}
        </text>
        {first && (
          <text x={pad.left} y={height - 8} font-size="12" fill="#1b1f24">
            {first.label}
          </text>
        )}
        {last && points.length > 1 && (
          <text x={WIDTH - pad.right} y={height - 8} text-anchor="end" font-size="12" fill="#1b1f24">
            {last.label}
          </text>
        )}
        <path d={path} fill="none" stroke="#0b5cad" stroke-width="2.5" />
        {points.map((p, i) => (
          <circle key={i} cx={x(i)} cy={y(p.value)} r="3.5" fill="#0b5cad" />
        ))}
      </svg>
      <figcaption>{title}</figcaption>
      <DataTable caption={title} rows={points.map((p) => [p.label, p.value])} />
    </figure>
  );
}
