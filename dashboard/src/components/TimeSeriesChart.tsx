import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One LOINC code's values over time (uPlot: canvas, ~50 KB, fast with thousands of points). */
export function TimeSeriesChart(props: { title: string; unit: string; points: { at: string; value: number }[] }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current) return;
    const sorted = [...props.points].sort((a, b) => a.at.localeCompare(b.at));
    const data: uPlot.AlignedData = [sorted.map((p) => Date.parse(p.at) / 1000), sorted.map((p) => p.value)];
    const plot = new uPlot(
      {
        width: Math.max(240, Math.min(target.current.clientWidth || 320, 420)),
        height: 140,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [{ size: 30 }, { size: 44, label: props.unit, labelSize: 14 }],
        series: [{}, { label: props.title, stroke: '#2563eb', width: 1.5, points: { show: sorted.length <= 60 } }],
      },
      data,
      target.current,
    );
    return () => plot.destroy();
  }, [props.points, props.title, props.unit]);
  return <div class="chart" ref={target} role="img" aria-label={`${props.title} over time, ${props.points.length} values`} />;
}
