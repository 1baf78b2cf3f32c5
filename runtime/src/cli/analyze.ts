// `tasklane analyze`: the analysis lives in its own package, @tasklane/analyzer (ts-morph and the
// TypeScript compiler, tens of megabytes), so that workers and producers never load it. Found by
// package name from the current folder first (the project's own install), then beside this runtime.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './options.ts';

const ANALYZER = '@tasklane/analyzer';

type AnalyzeCli = { runAnalyzeCli(argv: string[]): Promise<number> };

async function importAnalyzer(): Promise<AnalyzeCli> {
  let fromProject: string | undefined;
  try {
    fromProject = createRequire(join(process.cwd(), 'package.json')).resolve(`${ANALYZER}/cli`);
  } catch {
    // Not in the project: the one beside this runtime, if any.
  }
  return (await import(fromProject ? pathToFileURL(fromProject).href : `${ANALYZER}/cli`)) as AnalyzeCli;
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  let analyzer: AnalyzeCli;
  try {
    analyzer = await importAnalyzer();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError(`the analysis is in a separate package, ${ANALYZER}, which is not installed here: install it with\n  npm install --save-dev ${ANALYZER}\nthen run tasklane analyze again (workers and producers do not need it)`);
  }
  return analyzer.runAnalyzeCli(argv);
}
