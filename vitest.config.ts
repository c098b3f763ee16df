import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two groups, one after the other. Files that talk to the app in-process (API, BOM, registry …) run two at a time,
// one per core. Files that start their own processes, browsers or instances, or measure time (browser, federation,
// pipeline, operations, faults), run one at a time afterwards, as they always have: two of them at once on two cores
// would race their own worker threads and timeouts.

// Files in those folders that only compute or talk to the app in-process — no processes, worker threads, fixed
// ports or clocks — run two at a time with the first group: one at a time they left a core idle.
const inProcessAmongSerial: Record<string, string[]> = {
  federation: ['blocks', 'message-queue', 'safe-fetch'],
  pipeline: ['arrange', 'facts', 'facts-before', 'fcstd', 'fuzz', 'preview', 'readers'],
  electronics: ['boards', 'centroid', 'placements-choice'],
  samples: ['samples'],
};
/** A folder's test files but those named above (listed at each run, so a new file is serial until named here). */
const folder = (name: string): string[] => {
  const except = inProcessAmongSerial[name];
  if (!except) return [`test/${name}/**/*.test.ts`];
  return readdirSync(new URL(`test/${name}`, import.meta.url), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !except.includes(file.slice(0, -'.test.ts'.length)))
    .map((file) => `test/${name}/${file}`);
};

const serial = [
  ...folder('browser'),
  ...folder('federation'),
  ...folder('pipeline'),
  ...folder('operations'),
  ...folder('faults'),
  ...folder('cli'),
  ...folder('samples'),
  ...folder('electronics'),
  ...folder('fuzz'),
  // imports whose boards the worker threads draw
  'test/interop/kitspace-board.test.ts',
  // holds real sockets on fixed ports and waits on a live stream
  'test/notifications/live.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: ['test/**/*.test.ts'],
          exclude: serial,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: serial,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
