#!/usr/bin/env node
// A committed shim, so npm can link the command before the TypeScript is built.
import { main } from '../dist/src/main.js';

process.exitCode = await main(process.argv);
