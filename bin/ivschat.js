#!/usr/bin/env node
// @ts-check
// `ivschat <command>`: IVS Chat's control plane from the command line (see bin/cli.js).
import { run } from './cli.js';

run(process.argv.slice(2), 'ivschat').catch((error) => {
  process.stderr.write(`ivschat: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
