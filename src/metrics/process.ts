// Process metrics, read when /metrics is scraped (not on a timer): memory, CPU time,
// start time, uptime, JS heap and open file descriptors.
import { readdirSync } from "node:fs";
import type { Metrics } from "./port.ts";

export function processCollector(metrics: Metrics): () => void {
  const startedMs = Date.now() - performance.now();
  const rss = metrics.gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  const cpu = metrics.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
  const start = metrics.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
  const uptime = metrics.gauge("hearth_uptime_seconds", "Seconds since the process started.");
  const heapUsed = metrics.gauge("hearth_heap_used_bytes", "JavaScript heap in use, in bytes.");
  const heapTotal = metrics.gauge("hearth_heap_total_bytes", "JavaScript heap reserved, in bytes.");
  const fds = metrics.gauge("process_open_fds", "Number of open file descriptors.");
  start.set(Math.floor(startedMs / 1000));
  let cpuSecondsSeen = 0;
  return () => {
    const mem = process.memoryUsage();
    const usage = process.cpuUsage();
    rss.set(mem.rss);
    const cpuSeconds = (usage.user + usage.system) / 1e6;
    cpu.inc(undefined, Math.max(0, cpuSeconds - cpuSecondsSeen)); // a counter: add what was spent since the last scrape
    cpuSecondsSeen = Math.max(cpuSeconds, cpuSecondsSeen);
    uptime.set(Math.round(performance.now()) / 1000);
    heapUsed.set(mem.heapUsed);
    heapTotal.set(mem.heapTotal);
    const open = openFds();
    if (open !== null) fds.set(open);
  };
}

function openFds(): number | null {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return null; // not Linux
  }
}
