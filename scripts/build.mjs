#!/usr/bin/env node
// Bundles client, server and runtime with esbuild into dist/. Filled in by the extension work.
console.log('build: nothing to bundle yet');
