// A probe of this process's event loop, for tests that must not hold it: a 10 ms timer measures how late its ticks
// fire (wall clock) and how much CPU the loop's thread spent between two ticks. On a shared, loaded machine a timer
// fires late on its own, so the wall-clock delay measures the machine as much as the code; the CPU time between two
// ticks (Linux: /proc/thread-self) counts running code and garbage collection, not waiting for a core.
import { readFileSync } from 'node:fs';

/**
 * CPU time this thread has used, in ms: from the scheduler's account in nanoseconds where the kernel keeps one
 * (/proc/thread-self/schedstat), else user + system time in 10 ms steps; undefined where /proc has neither.
 */
export function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    // no schedstat: the coarser stat
  }
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // after the command name (in parentheses, may hold spaces): utime and stime are fields 14 and 15, in 1/100 s
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export interface EventLoopHold {
  /** how late the worst tick fired, in ms of wall clock */
  worstDelayMs: number;
  /** the most CPU time the loop's thread spent between two ticks, in ms; undefined without per-thread CPU time */
  worstHeldMs: number | undefined;
  /** when that hold ended, in ms after the probe started (to find it in a profile) */
  worstHeldAtMs: number;
}

/** Starts a 10 ms timer; `stop()` says how late its worst tick fired and the longest hold in CPU time. */
export function probeEventLoop(): { stop(): EventLoopHold } {
  const started = performance.now();
  let last = started;
  let lastCpu = threadCpuMs();
  let worstDelayMs = 0;
  let worstHeldMs = 0;
  let worstHeldAtMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    worstDelayMs = Math.max(worstDelayMs, now - last - 10);
    if (cpu !== undefined && lastCpu !== undefined && cpu - lastCpu > worstHeldMs) {
      worstHeldMs = cpu - lastCpu;
      worstHeldAtMs = now - started;
    }
    last = now;
    lastCpu = cpu;
  }, 10);
  return {
    // idempotent: what the ticks so far measured
    stop() {
      clearInterval(timer);
      return { worstDelayMs, worstHeldMs: lastCpu === undefined ? undefined : worstHeldMs, worstHeldAtMs };
    },
  };
}

/** Runs `work` under the probe: its result, its wall-clock time, and how the loop was held meanwhile. */
export async function watchEventLoop<T>(
  work: () => Promise<T>,
): Promise<EventLoopHold & { result: T; ms: number; cpuMs: number | undefined }> {
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  const probe = probeEventLoop();
  const result = await work().finally(() => probe.stop());
  const ms = performance.now() - started;
  const cpuAfter = threadCpuMs();
  return {
    result,
    ms,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    ...probe.stop(),
  };
}
