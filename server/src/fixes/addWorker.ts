// Quick fix: add a worker serving a queue to tasklane.config.json, with the pool and concurrency
// the analysis suggests. Only the new entry is written, in the file's own indentation; the rest of
// the file is left as it is (jsonc-parser finds where, and writes a missing "workers" object).
import { findNodeAtLocation, modify, parseTree, type FormattingOptions } from 'jsonc-parser';
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfig, type WorkerConfig } from 'tasklane/config';
import { DEFAULT_QUEUE, type PoolKind } from 'tasklane/contract';

export interface WorkerSpec {
  queue: string;
  pool: PoolKind;
  concurrency: number;
}

/** The workers of a valid config, undefined when the config cannot be read (fix that first). */
export function configWorkers(text: string): Record<string, WorkerConfig> | undefined {
  try {
    return parseConfig(text).workers ?? {};
  } catch {
    return undefined;
  }
}

export function servesQueue(workers: Record<string, WorkerConfig>, queue: string): boolean {
  return Object.values(workers).some((worker) => (worker.queues ?? [DEFAULT_QUEUE]).includes(queue));
}

function formatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 4 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];
}

/** A worker name for the queue that the config does not use yet: the queue's, else the queue's and the pool's. */
export function workerName(workers: Record<string, WorkerConfig>, spec: WorkerSpec): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? spec.queue : n === 2 ? `${spec.queue}-${spec.pool}` : `${spec.queue}-${spec.pool}-${n - 1}`;
    if (!Object.hasOwn(workers, name)) return name;
  }
}

export function addWorkerEdits(config: TextDocument, name: string, spec: WorkerSpec): TextEdit[] {
  const text = config.getText();
  const worker: WorkerConfig = { pool: spec.pool, concurrency: spec.concurrency, queues: [spec.queue] };
  const options = formatting(text);
  const tree = parseTree(text);
  const workers = tree && findNodeAtLocation(tree, ['workers']);
  const last = workers?.type === 'object' ? workers.children?.at(-1) : undefined;
  if (last) {
    // After the last worker, written like it (one line or indented), leaving the others untouched:
    // jsonc-parser's own formatting would reflow the line the insertion starts on.
    const written = text.slice(last.offset, last.offset + last.length);
    const indent = lineIndent(text, last.offset);
    const value = written.includes('\n')
      ? JSON.stringify(worker, null, options.insertSpaces ? ' '.repeat(options.tabSize!) : '\t').replace(/\n/g, options.eol! + indent)
      : `{ ${Object.entries(worker).map(([key, field]) => `${JSON.stringify(key)}: ${JSON.stringify(field)}`).join(', ')} }`;
    const at = config.positionAt(last.offset + last.length);
    return [{ range: { start: at, end: at }, newText: `,${options.eol}${indent}${JSON.stringify(name)}: ${value}` }];
  }
  return modify(text, ['workers', name], worker, { formattingOptions: options }).map((edit) => ({
    range: { start: config.positionAt(edit.offset), end: config.positionAt(edit.offset + edit.length) },
    newText: edit.content,
  }));
}
