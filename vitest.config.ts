import { defineConfig } from 'vitest/config';

// Two groups, one after the other. Files that talk to the app in-process (API, BOM, registry …) run two at a time,
// one per core. Files that start their own processes, browsers or instances, or measure time (browser, federation,
// pipeline, operations, faults), run one at a time afterwards, as they always have: two of them at once on two cores
// would race their own worker threads and timeouts.
const serial = [
  'test/browser/**/*.test.ts',
  'test/federation/**/*.test.ts',
  'test/pipeline/**/*.test.ts',
  'test/operations/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/samples/**/*.test.ts',
  'test/electronics/**/*.test.ts',
  'test/fuzz/**/*.test.ts',
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
