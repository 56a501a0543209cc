#!/usr/bin/env node
// @ts-check
// `ivschat-token`: the alias of `ivschat create-chat-token` (see bin/cli.js).
import { run } from './cli.js';

const args = process.argv.slice(2);
run(args[0] === '--version' ? args : ['create-chat-token', ...args], 'ivschat-token').catch((error) => {
  process.stderr.write(`ivschat-token: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
