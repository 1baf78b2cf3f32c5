#!/usr/bin/env node
// Grammar tests (vscode-tmgrammar-test format) for syntaxes/: every scope assertion (a run of ^
// under a line of test/grammar/*.tasklane-log) is one test. Grammars come from package.json's contributes.grammars, as
// VS Code loads them. Prints "grammar: N passed, N failed".
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, loadConfiguration } from 'vscode-tmgrammar-test/dist/common/index.js';
import { parseGrammarTestCase, runGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'test', 'grammar');
const { grammars } = loadConfiguration(join(root, 'package.json'), undefined, []);
const registry = createRegistry(grammars);

let passed = 0, failed = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.tasklane-log')).sort()) {
  const testCase = parseGrammarTestCase(readFileSync(join(dir, name), 'utf8'));
  const failures = await runGrammarTestCase(registry, testCase);
  const failing = new Set(failures.map((f) => {
    const line = testCase.assertions.find((a) => a.testCaseLineNumber === f.line);
    return line?.scopeAssertions.find((s) => s.from <= f.start && f.start < s.to) ?? f;
  }));
  for (const f of failures) {
    console.log(`✗ ${name}:${f.line + 1} columns ${f.start}-${f.end} of "${testCase.source[f.srcLine]}"`);
    if (f.missing.length) console.log(`    missing ${f.missing.join(' ')}; actual ${f.actual.join(' ')}`);
    if (f.unexpected.length) console.log(`    unexpected ${f.unexpected.join(' ')}`);
  }
  passed += testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0) - failing.size;
  failed += failing.size;
}
console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
