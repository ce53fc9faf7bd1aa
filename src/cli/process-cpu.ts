import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used so far by a process and all its living descendants (Chromium's renderer, GPU and
 * utility processes are children of the browser process or of its zygote), read from Linux's
 * /proc/<pid>/stat: user + system time. Sampled before and after a window, the difference over the
 * window's length is the CPU share, in cores. Other programs on the machine do not count, so the
 * figure holds on a busy machine, within the scheduler's noise.
 */
export function processTreeCpuSeconds(rootPid: number): number {
  const stats = readAllStats();
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const s = stats.get(pid);
    if (s) ticks += s.utime + s.stime;
    pending.push(...(children.get(pid) ?? []));
  }
  return ticks / clockTicksPerSecond();
}

interface Stat {
  pid: number;
  ppid: number;
  utime: number;
  stime: number;
}

function readAllStats(): Map<number, Stat> {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) stats.set(stat.pid, stat);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return stats;
}

/** `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields count from the last ')'. */
function parseStat(text: string): Stat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After comm: state(3) ppid(4) … utime(14) stime(15); rest[0] is field 3.
  const [ppid, utime, stime] = [rest[1], rest[11], rest[12]].map(Number);
  if (![pid, ppid, utime, stime].every(Number.isFinite)) return undefined;
  return { pid, ppid: ppid!, utime: utime!, stime: stime! };
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // Linux's USER_HZ nearly everywhere
    }
  }
  return ticksPerSecond;
}
