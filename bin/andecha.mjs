#!/usr/bin/env node
// The andecha command: registers tsx's loader and runs server/src/cli/main.ts, so the CLI validates with the server's own code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/src/cli/main.ts');
process.exitCode = await main(process.argv);
