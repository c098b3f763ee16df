// The native peer of the B-rep benchmark: Debian's f3d (VTK + OpenCascade 7.6, what model libraries such as Manyfold
// call for thumbnails) reading a STEP/IGES file and rendering it to a 512² PNG, one process per file, on an Xvfb
// display started once (so xvfb-run's own start-up is not counted against f3d).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const f3dPeerWhat = 'f3d process: OpenCascade 7.6 read + VTK render to a 512² PNG';

export interface F3dPeer {
  version: string;
  /** one f3d run on `file`, writing `png`: wall-clock ms and the CPU ms it used (user + system, from bash's `time`) */
  render(file: string, png: string): { ms: number; cpuMs: number };
  close(): void;
}

/** The peer, or why it cannot run here (f3d or Xvfb missing: `apt-get install f3d xvfb`). */
export async function startF3dPeer(): Promise<F3dPeer | string> {
  const version = spawnSync('f3d', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'f3d is not installed (apt-get install -y f3d xvfb)';
  if (spawnSync('Xvfb', ['-help'], { encoding: 'utf8' }).error)
    return 'Xvfb is not installed (apt-get install -y xvfb)';
  // a display number of our own, free of others' Xvfb servers
  let display = 90 + (process.pid % 100);
  while (existsSync(`/tmp/.X11-unix/X${display}`) || existsSync(`/tmp/.X${display}-lock`)) display++;
  const xvfb: ChildProcess = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${display}`); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(`/tmp/.X11-unix/X${display}`)) {
    xvfb.kill();
    return `Xvfb did not start on :${display}`;
  }
  // a bench that throws half-way still takes its display with it
  process.once('exit', () => xvfb.kill());
  const env = { ...process.env, DISPLAY: `:${display}` };
  return {
    version: (/f3d \S+/.exec(version.stdout) ?? ['f3d'])[0],
    render(file, png) {
      const t = performance.now();
      // bash's `time` gives the process's own CPU time: on a loaded machine its wall clock is mostly waiting
      const run = spawnSync(
        'bash',
        [
          '-c',
          'TIMEFORMAT="cpu %3U %3S"; time f3d "$@" >/dev/null 2>&1',
          'f3d',
          '--dry-run',
          '--quiet',
          `--output=${png}`,
          '--resolution=512,512',
          '--up=+Z',
          '--camera-azimuth-angle=30',
          '--camera-elevation-angle=35',
          file,
        ],
        { env, encoding: 'utf8', timeout: 900_000 },
      );
      const ms = performance.now() - t;
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
      if (run.status !== 0 || !cpu || !existsSync(png))
        throw new Error(`f3d failed on ${file}: ${run.stderr || run.status}`);
      return { ms, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 };
    },
    close: () => void xvfb.kill(),
  };
}
