// The Metrics port in memory, rendered as Prometheus text exposition format 0.0.4.
// Families keep registration order and series keep first-seen order, so the output is
// stable. Each family holds at most limits.metricSeriesPerFamilyMax series: a label
// value that leaked an unbounded set (a raw path, a user id) cannot grow memory forever.
import { limits } from "../limits.ts";
import type { Counter, Gauge, Histogram, Labels, Metrics } from "./port.ts";
import { processCollector } from "./process.ts";

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Kind = "counter" | "gauge" | "histogram";
interface Series {
  labels: Labels;
  value: number; // counter/gauge value; histogram sum
  counts?: number[]; // histogram: per-bucket (non-cumulative) counts, then the count
}
interface Family {
  name: string;
  help: string;
  kind: Kind;
  buckets: readonly number[];
  series: Map<string, Series>;
}

export interface RegistryOptions {
  /** Adds process_* and heap metrics, read at each render. Default true. */
  processMetrics?: boolean;
}

export function createMetrics(opts: RegistryOptions = {}): Metrics {
  const families = new Map<string, Family>();
  const dropped = { n: 0 };
  const family = (name: string, help: string, kind: Kind, buckets: readonly number[] = []) =>
    registerFamily(families, name, help, kind, buckets);
  const metrics: Metrics = {
    counter: (name, help) => counterOf(family(name, help, "counter"), dropped),
    gauge: (name, help) => gaugeOf(family(name, help, "gauge"), dropped),
    histogram: (name, help, buckets = DEFAULT_BUCKETS) => histogramOf(family(name, help, "histogram", checkBuckets(buckets)), dropped),
    render: () => {
      collect?.();
      return renderFamilies(families.values(), dropped.n);
    },
  };
  const collect = opts.processMetrics === false ? null : processCollector(metrics);
  return metrics;
}

function registerFamily(families: Map<string, Family>, name: string, help: string, kind: Kind, buckets: readonly number[]): Family {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
  const existing = families.get(name);
  if (existing) {
    if (existing.kind !== kind) throw new Error(`metric ${name} is already a ${existing.kind}`);
    return existing;
  }
  const f: Family = { name, help, kind, buckets, series: new Map() };
  families.set(name, f);
  return f;
}

function checkBuckets(buckets: readonly number[]): readonly number[] {
  const sorted = buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > buckets[i - 1]!));
  if (!sorted || buckets.length === 0) throw new Error("histogram buckets must be finite and strictly increasing");
  return [...buckets];
}

function seriesOf(f: Family, labels: Labels | undefined, dropped: { n: number }): Series | null {
  const key = labels ? labelKey(labels) : "";
  let s = f.series.get(key);
  if (s) return s;
  if (f.series.size >= limits.metricSeriesPerFamilyMax) {
    dropped.n++;
    return null;
  }
  s = { labels: labels ? { ...labels } : {}, value: 0 };
  if (f.kind === "histogram") s.counts = new Array<number>(f.buckets.length + 2).fill(0);
  f.series.set(key, s);
  return s;
}

function labelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  for (const n of names) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n) || n === "le") throw new Error(`invalid label name ${n}`);
  return names.map((n) => `${n}\u0000${labels[n]}`).join("\u0001");
}

function counterOf(f: Family, dropped: { n: number }): Counter {
  return {
    inc(labels, by = 1) {
      if (!(by >= 0)) throw new Error(`counter ${f.name} can only increase`);
      const s = seriesOf(f, labels, dropped);
      if (s) s.value += by;
    },
  };
}

function gaugeOf(f: Family, dropped: { n: number }): Gauge {
  const add = (labels: Labels | undefined, by: number) => {
    const s = seriesOf(f, labels, dropped);
    if (s) s.value += by;
  };
  return {
    set(value, labels) {
      const s = seriesOf(f, labels, dropped);
      if (s) s.value = value;
    },
    inc: (labels, by = 1) => add(labels, by),
    dec: (labels, by = 1) => add(labels, -by),
  };
}

function histogramOf(f: Family, dropped: { n: number }): Histogram {
  return {
    observe(value, labels) {
      const s = seriesOf(f, labels, dropped);
      if (!s) return;
      let i = 0;
      while (i < f.buckets.length && value > f.buckets[i]!) i++;
      s.counts![i]!++; // index buckets.length is the +Inf bucket
      s.counts![f.buckets.length + 1]!++;
      s.value += value;
    },
  };
}

function renderFamilies(families: Iterable<Family>, droppedSeries: number): string {
  let out = "";
  for (const f of families) {
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.kind}\n`;
    for (const s of f.series.values()) out += f.kind === "histogram" ? histogramLines(f, s) : `${f.name}${labelText(s.labels)} ${num(s.value)}\n`;
  }
  if (droppedSeries > 0) {
    out += "# HELP hearth_metrics_series_dropped_total Series not recorded because a family hit its series limit.\n";
    out += `# TYPE hearth_metrics_series_dropped_total counter\nhearth_metrics_series_dropped_total ${droppedSeries}\n`;
  }
  return out;
}

function histogramLines(f: Family, s: Series): string {
  const counts = s.counts!;
  let out = "";
  let cumulative = 0;
  for (let i = 0; i <= f.buckets.length; i++) {
    cumulative += counts[i]!;
    const le = i < f.buckets.length ? num(f.buckets[i]!) : "+Inf";
    out += `${f.name}_bucket${labelText(s.labels, le)} ${cumulative}\n`;
  }
  out += `${f.name}_sum${labelText(s.labels)} ${num(s.value)}\n`;
  out += `${f.name}_count${labelText(s.labels)} ${counts[f.buckets.length + 1]}\n`;
  return out;
}

function labelText(labels: Labels, le?: string): string {
  const parts = Object.keys(labels).sort().map((n) => `${n}="${escapeLabel(labels[n]!)}"`);
  if (le !== undefined) parts.push(`le="${le}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

export function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function num(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}
