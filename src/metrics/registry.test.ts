import { describe, expect, test } from "bun:test";
import { limits } from "../limits.ts";
import { createMetrics } from "./registry.ts";

const bare = () => createMetrics({ processMetrics: false });

describe("exposition text", () => {
  test("counter with and without labels", () => {
    const m = bare();
    const c = m.counter("hearth_things_total", "Things done.");
    c.inc();
    c.inc(undefined, 2);
    c.inc({ kind: "a" });
    expect(m.render()).toBe(
      "# HELP hearth_things_total Things done.\n" +
        "# TYPE hearth_things_total counter\n" +
        "hearth_things_total 3\n" +
        'hearth_things_total{kind="a"} 1\n',
    );
  });

  test("label order does not split a series; labels are sorted in the output", () => {
    const m = bare();
    const c = m.counter("x_total", "x");
    c.inc({ b: "2", a: "1" });
    c.inc({ a: "1", b: "2" });
    expect(m.render()).toContain('x_total{a="1",b="2"} 2\n');
  });

  test("gauge set/inc/dec", () => {
    const m = bare();
    const g = m.gauge("hearth_connections", "Open connections.");
    g.inc();
    g.inc();
    g.dec();
    g.set(-1.5, { kind: "ws" });
    expect(m.render()).toBe(
      "# HELP hearth_connections Open connections.\n# TYPE hearth_connections gauge\n" +
        "hearth_connections 1\n" +
        'hearth_connections{kind="ws"} -1.5\n',
    );
  });

  test("histogram buckets are cumulative, with +Inf, _sum and _count", () => {
    const m = bare();
    const h = m.histogram("req_seconds", "Latency.", [0.1, 1]);
    h.observe(0.05, { route: "/a" });
    h.observe(0.1, { route: "/a" }); // le is inclusive
    h.observe(0.5, { route: "/a" });
    h.observe(3, { route: "/a" });
    expect(m.render()).toBe(
      "# HELP req_seconds Latency.\n# TYPE req_seconds histogram\n" +
        'req_seconds_bucket{route="/a",le="0.1"} 2\n' +
        'req_seconds_bucket{route="/a",le="1"} 3\n' +
        'req_seconds_bucket{route="/a",le="+Inf"} 4\n' +
        'req_seconds_sum{route="/a"} 3.65\n' +
        'req_seconds_count{route="/a"} 4\n',
    );
  });

  test("label values and help text are escaped", () => {
    const m = bare();
    m.counter("esc_total", 'Help with \\ and\nnewline "quotes"').inc({ v: 'a\\b"c\nd' });
    expect(m.render()).toBe(
      '# HELP esc_total Help with \\\\ and\\nnewline "quotes"\n' +
        "# TYPE esc_total counter\n" +
        'esc_total{v="a\\\\b\\"c\\nd"} 1\n',
    );
  });

  test("special float values", () => {
    const m = bare();
    const g = m.gauge("g", "g");
    g.set(Infinity, { k: "a" });
    g.set(-Infinity, { k: "b" });
    g.set(NaN, { k: "c" });
    expect(m.render()).toContain('g{k="a"} +Inf\ng{k="b"} -Inf\ng{k="c"} NaN\n');
  });

  test("a family with no samples still declares itself", () => {
    const m = bare();
    m.histogram("empty_seconds", "Nothing yet.");
    expect(m.render()).toBe("# HELP empty_seconds Nothing yet.\n# TYPE empty_seconds histogram\n");
  });
});

describe("registration and misuse", () => {
  test("registering the same name twice returns the same family", () => {
    const m = bare();
    m.counter("same_total", "s").inc();
    m.counter("same_total", "s").inc();
    expect(m.render()).toContain("same_total 2\n");
  });

  test("programmer errors throw", () => {
    const m = bare();
    m.counter("c_total", "c");
    expect(() => m.gauge("c_total", "c")).toThrow("already a counter");
    expect(() => m.counter("bad-name", "x")).toThrow("invalid metric name");
    expect(() => m.counter("ok_total", "x").inc({ "bad-label": "x" })).toThrow("invalid label name");
    expect(() => m.histogram("h", "x").observe(1, { le: "1" })).toThrow("invalid label name le");
    expect(() => m.counter("neg_total", "x").inc(undefined, -1)).toThrow("can only increase");
    expect(() => m.histogram("h2", "x", [1, 1])).toThrow("strictly increasing");
  });

  test("series beyond the per-family limit are dropped and counted", () => {
    const m = bare();
    const c = m.counter("wide_total", "w");
    for (let i = 0; i < limits.metricSeriesPerFamilyMax + 5; i++) c.inc({ id: String(i) });
    const text = m.render();
    expect(text.split("\n").filter((l) => l.startsWith("wide_total{")).length).toBe(limits.metricSeriesPerFamilyMax);
    expect(text).toContain("hearth_metrics_series_dropped_total 5\n");
  });
});

describe("process metrics", () => {
  test("are present and plausible", () => {
    const m = createMetrics();
    const text = m.render();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    expect(text).toContain("# TYPE process_cpu_seconds_total counter\n");
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(1024 * 1024);
    expect(value("process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(value("hearth_uptime_seconds")).toBeGreaterThan(0);
    expect(value("hearth_heap_used_bytes")).toBeGreaterThan(0);
    expect(value("process_open_fds")).toBeGreaterThan(2);
    expect(Math.abs(value("process_start_time_seconds") - Date.now() / 1000)).toBeLessThan(3600);
  });

  test("cpu seconds never decrease between scrapes", () => {
    const m = createMetrics();
    const cpu = () => Number(/^process_cpu_seconds_total (\S+)$/m.exec(m.render())?.[1]);
    const first = cpu();
    let x = 0;
    for (let i = 0; i < 200_000; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(cpu()).toBeGreaterThanOrEqual(first);
  });
});
