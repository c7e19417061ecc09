// Prometheus-style metrics. Names follow Prometheus conventions (hearth_*_total for
// counters, *_seconds for durations). Labels are a small fixed set per metric.
export type Labels = Record<string, string>;

export interface Counter { inc(labels?: Labels, by?: number): void }
export interface Gauge { set(value: number, labels?: Labels): void; inc(labels?: Labels, by?: number): void; dec(labels?: Labels, by?: number): void }
export interface Histogram { observe(value: number, labels?: Labels): void }

export interface Metrics {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram;
  /** Prometheus text exposition format 0.0.4. */
  render(): string;
}
