// Benchmark runner: `npm run bench -- <name>` imports bench/<name>.ts and awaits its run().
const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: npm run bench -- <name>   (a file bench/<name>.ts exporting run())');
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
await mod.run();
