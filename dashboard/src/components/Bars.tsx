/**
 * Small SVG bar charts for counts (a few dozen bars at most: no chart library needed here).
 */
export interface Bar {
  key: string;
  count: number;
}

/** Horizontal bars, left and right of a middle axis: an age/sex pyramid. */
export function Pyramid(props: { left: Bar[]; right: Bar[]; leftLabel: string; rightLabel: string }) {
  const keys = [...new Set([...props.left, ...props.right].map((b) => b.key))].sort((a, b) => bandStart(b) - bandStart(a));
  const max = Math.max(1, ...props.left.map((b) => b.count), ...props.right.map((b) => b.count));
  const row = 20;
  const half = 160;
  const countOf = (bars: Bar[], key: string) => bars.find((b) => b.key === key)?.count ?? 0;
  return (
    <svg class="pyramid" width={half * 2 + 80} height={keys.length * row + 24} role="img" aria-label={`age and sex pyramid, ${props.leftLabel} left, ${props.rightLabel} right`}>
      <text x={half - 4} y={12} text-anchor="end" class="axis">{props.leftLabel}</text>
      <text x={half + 84} y={12} class="axis">{props.rightLabel}</text>
      {keys.map((key, i) => {
        const y = 20 + i * row;
        const l = countOf(props.left, key);
        const r = countOf(props.right, key);
        const lw = (l / max) * (half - 30);
        const rw = (r / max) * (half - 30);
        return (
          <g key={key}>
            <rect x={half - lw} y={y} width={lw} height={row - 4} class="bar female" />
            <text x={half - lw - 4} y={y + 12} text-anchor="end" class="value">{l}</text>
            <text x={half + 40} y={y + 12} text-anchor="middle" class="axis">{key}</text>
            <rect x={half + 80} y={y} width={rw} height={row - 4} class="bar male" />
            <text x={half + 84 + rw} y={y + 12} class="value">{r}</text>
          </g>
        );
      })}
    </svg>
  );
}

const bandStart = (key: string) => (key === 'NOT_RECORDED' ? -1 : Number.parseInt(key, 10) || 0);

/** Vertical bars over ordered bins. */
export function Histogram(props: { bins: Bar[]; label: string }) {
  const max = Math.max(1, ...props.bins.map((b) => b.count));
  const width = 28;
  const height = 120;
  return (
    <svg class="histogram" width={props.bins.length * width + 10} height={height + 36} role="img" aria-label={props.label}>
      {props.bins.map((bin, i) => {
        const h = (bin.count / max) * height;
        return (
          <g key={bin.key}>
            <rect x={5 + i * width} y={height - h + 12} width={width - 4} height={h} class="bar" />
            {bin.count > 0 && (
              <text x={5 + i * width + (width - 4) / 2} y={height - h + 8} text-anchor="middle" class="value">{bin.count}</text>
            )}
            <text x={5 + i * width + (width - 4) / 2} y={height + 26} text-anchor="middle" class="axis">{bin.key}</text>
          </g>
        );
      })}
    </svg>
  );
}
