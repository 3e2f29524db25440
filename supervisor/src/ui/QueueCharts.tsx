import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { WallboardSample } from '@callcenter/shared';
import { useLive } from '../app/connection';
import { formatDuration } from './format';

// uPlot (leeoniya/uPlot): a small, fast, kept time-series chart library on canvas; its
// styles come as a stylesheet and it sets element styles from script, so the console's
// Content-Security-Policy (no inline styles) holds.

const CHART_HEIGHT = 220;

type Series = { label: string; stroke: string; values: (s: WallboardSample) => number };

/** Tick steps of the axes: whole customers; seconds, minutes and hours. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];
const SECOND_STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400];

const QUEUE_SERIES: Series[] = [
  { label: 'Standard', stroke: '#4b5563', values: (s) => s.waiting.standard },
  { label: 'Gold', stroke: '#b45309', values: (s) => s.waiting.gold },
  { label: 'Platinum', stroke: '#6d28d9', values: (s) => s.waiting.platinum },
];

const countUnit = (value: number): string => String(Math.round(value));
const timeUnit = (value: number): string => formatDuration(value);

const WAIT_SERIES: Series[] = [
  { label: 'Longest wait', stroke: '#b91c1c', values: (s) => s.longestWaitSeconds },
  { label: 'Average wait', stroke: '#1d4ed8', values: (s) => s.averageWaitSeconds },
];

/** The queue's length per tier and its waiting times over the last hours, from the samples. */
export function QueueCharts() {
  const samples = useLive((state) => state.samples);
  const sampleSeconds = useLive((state) => state.sampleSeconds);
  const last = samples.at(-1);
  return (
    <section aria-labelledby="charts-title" className="panel charts">
      <h2 id="charts-title">Over the last hours</h2>
      <p className="muted">
        A point every {formatDuration(sampleSeconds)}
        {last ? `; the last at ${new Date(last.at).toLocaleTimeString()}` : ''}.
      </p>
      {samples.length === 0 ? (
        <p className="muted">
          No samples yet: the first comes within {formatDuration(sampleSeconds)}.
        </p>
      ) : (
        <div className="chart-row">
          <Chart
            title="Customers waiting"
            summary={
              last
                ? `Now: ${last.waiting.standard} standard, ${last.waiting.gold} gold, ${last.waiting.platinum} platinum`
                : ''
            }
            samples={samples}
            series={QUEUE_SERIES}
            unit={countUnit}
            steps={COUNT_STEPS}
          />
          <Chart
            title="Waiting time"
            summary={
              last
                ? `Now: longest ${formatDuration(last.longestWaitSeconds)}, average ${formatDuration(last.averageWaitSeconds)}`
                : ''
            }
            samples={samples}
            series={WAIT_SERIES}
            unit={timeUnit}
            steps={SECOND_STEPS}
          />
        </div>
      )}
    </section>
  );
}

function Chart(props: {
  title: string;
  /** The latest values in words: a canvas says nothing to a screen reader. */
  summary: string;
  samples: WallboardSample[];
  series: Series[];
  unit: (value: number) => string;
  steps: number[];
}) {
  const { samples, series, unit, steps } = props;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo<uPlot.AlignedData>(
    () => [
      samples.map((s) => Date.parse(s.at) / 1000),
      ...series.map((line) => samples.map(line.values)),
    ],
    [samples, series],
  );

  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: CHART_HEIGHT,
        series: [
          {},
          ...series.map((line) => ({
            label: line.label,
            stroke: line.stroke,
            width: 2,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : unit(v)),
          })),
        ],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => unit(t)), size: 80, incrs: steps }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      latest.current,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(280, element.clientWidth), height: CHART_HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series, unit, steps]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart">
      <figcaption>
        <strong>{props.title}</strong> <span className="muted">{props.summary}</span>
      </figcaption>
      <div ref={box} role="img" aria-label={`${props.title}. ${props.summary}`} />
    </figure>
  );
}
