#!/usr/bin/env node
// Runs the compiled CLI. `npm run build` (or `npm start`) compiles it into dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/server/cli-main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('fakturaflyt: not built yet. Run "npm run build" in the project folder first.\n');
  process.exit(2);
}
await import(pathToFileURL(entry).href);
