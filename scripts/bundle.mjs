// Bundles the CLI into dist/bin/: one file per command's code, loaded when the
// command runs, with the AWS SDK's ES modules tree-shaken. Node then parses
// what an audit needs in ~0.2 s, against ~0.8 s for the SDK's CommonJS
// bundles resolved package by package. The compiled tree in dist/ stays, for
// the scripts that import modules (the demo, the measure-* scripts).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
// Chunks are named by content: an earlier build's would stay beside the new ones and ship.
rmSync(outdir, { recursive: true, force: true });
await build({
  // The inventory worker is started by file name (load/inventory-workers.ts): an entry of its own, beside the CLI.
  entryPoints: {
    rollcall: new URL('../src/cli.ts', import.meta.url).pathname,
    'inventory-worker': new URL('../src/load/inventory-worker.ts', import.meta.url).pathname,
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  // CommonJS dependencies (handlebars, ajv) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as rollcallCreateRequire } from 'node:module'; const require = rollcallCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(`${outdir}rollcall.js`, 0o755);
