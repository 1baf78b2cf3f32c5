// Finding tasks in a file: Tasklane's `app.task(name, handler, options)` and BullMQ's
// `new Worker(queue, processor, opts)` (inline, by reference, or a sandboxed processor file).
import { existsSync } from 'node:fs';
import { Node, ts, type CallExpression, type NewExpression, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { unwrap, type FunctionLike, type Origin, type Resolver } from './resolve.ts';
import { booleanValue, numberValue, objectValue, pathValue, propertyNode, stringValue } from './values.ts';
import type { FileEntry, Workspace } from './workspace.ts';

export interface FoundTask {
  /** Task name; for BullMQ the queue name. */
  name: string;
  framework: 'tasklane' | 'bullmq';
  file: string;
  line: number;
  call: CallExpression | NewExpression;
  /** Where routing diagnostics point: the queue option if written, else the name argument. */
  anchor: Node;
  handler?: FunctionLike;
  /** Files read to find it (its name, app, options, processor): it must be found again when one changes. */
  reads: Set<string>;
  /** Why the handler could not be followed, when it could not. */
  unresolved?: string;
  queue?: string;
  queueNode?: Node;
  hasTimeLimit: boolean;
  options?: ObjectLiteralExpression;
  bullmq?: {
    /** The processor runs in a child process (a file path), or a worker thread with useWorkerThreads. */
    sandboxed: boolean;
    processorFile?: string;
    useWorkerThreads: boolean;
    /** BullMQ's default is 1. */
    concurrency: number;
  };
}

const TASKLANE = /^tasklane(\/|$)/;
const BULLMQ = /^bullmq(-pro)?(\/|$)/;

/** Cheap text test before walking a file's syntax. */
export function mayDeclareTasks(text: string): boolean {
  return text.includes('.task(') || text.includes('.task<') || text.includes('Worker');
}

export function discoverTasks(entry: FileEntry, resolver: Resolver, workspace: Workspace): FoundTask[] {
  const text = entry.sourceFile.getFullText();
  if (!mayDeclareTasks(text)) return [];
  // The runtime may be imported by path (its own tests, a monorepo): createApp names it then.
  const importsTasklane = [...entry.imports.values()].some((binding) => TASKLANE.test(binding.specifier) || binding.name === 'createApp')
    || /require\(['"]tasklane['"]\)/.test(text);
  const found: FoundTask[] = [];
  for (const node of candidates(entry.sourceFile)) {
    const reads = new Set<string>();
    const task = resolver.tracking(reads, () => Node.isCallExpression(node) ? tasklaneTask(node, resolver, importsTasklane)
      : Node.isNewExpression(node) ? bullmqWorker(node, resolver, workspace) : undefined);
    if (task) found.push({ ...task, reads });
  }
  return found;
}

/**
 * `x.task(...)` calls and `new …Worker(...)` expressions, found with an explicit stack over the
 * compiler's nodes (deeply nested generated code cannot overflow it), wrapped only when they match.
 */
function candidates(sourceFile: SourceFile): Node[] {
  const sf = sourceFile.compilerNode;
  const matches: ts.Node[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const node = stack.pop()!;
    if ((ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'task')
      || (ts.isNewExpression(node) && /Worker$/.test(node.expression.getText(sf)))) {
      matches.push(node);
    }
    ts.forEachChild(node, (child) => { stack.push(child); });
  }
  const wrapped: Node[] = [];
  for (const match of matches.sort((a, b) => a.pos - b.pos)) {
    let node: Node | undefined = sourceFile.getDescendantAtStartWithWidth(match.getStart(sf), match.getWidth(sf));
    while (node && node.compilerNode !== match) node = node.getParent();
    if (node) wrapped.push(node);
  }
  return wrapped;
}

/** The receiver of `.task(...)` is a Tasklane app: traced to the package, or untraceable in a file that imports it. */
function isTasklaneApp(origin: Origin | undefined, importsTasklane: boolean): boolean {
  if (origin?.kind === 'module') return TASKLANE.test(origin.specifier);
  return importsTasklane;
}

function tasklaneTask(call: CallExpression, resolver: Resolver, importsTasklane: boolean): Omit<FoundTask, 'reads'> | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'task') return undefined;
  const [nameArg, handlerArg, optionsArg] = call.getArguments();
  if (!nameArg || !handlerArg) return undefined;
  if (!isTasklaneApp(resolver.resolve(callee.getExpression()), importsTasklane)) return undefined;
  const options = objectValue(resolver, optionsArg);
  const queueNode = propertyNode(options, 'queue');
  const file = call.getSourceFile().getFilePath();
  const task: Omit<FoundTask, 'reads'> = {
    name: stringValue(resolver, nameArg) ?? nameArg.getText(),
    framework: 'tasklane',
    file,
    line: call.getStartLineNumber(),
    call,
    anchor: queueNode ?? nameArg,
    queue: stringValue(resolver, queueNode),
    queueNode,
    hasTimeLimit: propertyNode(options, 'timeLimit') !== undefined,
    options,
  };
  attachHandler(task, resolver, handlerArg);
  return task;
}

function bullmqWorker(expr: NewExpression, resolver: Resolver, workspace: Workspace): Omit<FoundTask, 'reads'> | undefined {
  const origin = resolver.resolve(expr.getExpression());
  if (origin?.kind !== 'module' || !BULLMQ.test(origin.specifier) || origin.path.at(-1) !== 'Worker') return undefined;
  const [queueArg, processorArg, optsArg] = expr.getArguments();
  if (!queueArg) return undefined;
  const opts = objectValue(resolver, optsArg);
  const file = expr.getSourceFile().getFilePath();
  const useWorkerThreads = booleanValue(resolver, propertyNode(opts, 'useWorkerThreads')) ?? false;
  const task: Omit<FoundTask, 'reads'> = {
    name: stringValue(resolver, queueArg) ?? queueArg.getText(),
    framework: 'bullmq',
    file,
    line: expr.getStartLineNumber(),
    call: expr,
    anchor: queueArg,
    queue: stringValue(resolver, queueArg),
    hasTimeLimit: false,
    options: opts,
    bullmq: {
      sandboxed: false,
      useWorkerThreads,
      concurrency: numberValue(resolver, propertyNode(opts, 'concurrency')) ?? 1,
    },
  };
  if (!processorArg) { task.unresolved = 'the Worker has no processor'; return task; }
  if (resolver.resolve(processorArg)?.kind === 'function') { attachHandler(task, resolver, processorArg); return task; }
  // A sandboxed processor: a file whose default export is the processor.
  const path = pathValue(resolver, processorArg, file);
  if (path) {
    const target = sandboxFile(path, workspace);
    task.bullmq!.sandboxed = true;
    task.bullmq!.processorFile = target ?? path;
    if (!target || (!workspace.has(target) && !workspace.set(target, undefined))) { task.unresolved = `the processor file ${path} was not found`; return task; }
    const exported = resolver.resolveExport(target, 'default', 0);
    if (exported?.kind === 'function') task.handler = exported.node;
    else task.unresolved = `the processor file ${target} has no default-exported function`;
    return task;
  }
  attachHandler(task, resolver, processorArg);
  return task;
}

function attachHandler(task: Omit<FoundTask, 'reads'>, resolver: Resolver, arg: Node): void {
  // A wrapped handler (withLogging(fn)): the wrapped function does the work.
  const inner = unwrap(arg);
  if (Node.isCallExpression(inner)) {
    for (const wrapped of inner.getArguments()) {
      const origin = resolver.resolve(wrapped);
      if (origin?.kind === 'function') { task.handler = origin.node; return; }
    }
  }
  const origin = resolver.resolve(arg);
  if (origin?.kind === 'function') { task.handler = origin.node; return; }
  task.unresolved = `cannot follow the handler \`${arg.getText().slice(0, 60)}\``;
}

/** A sandboxed processor's source: the path as written, or its TypeScript twin for a compiled .js path. */
function sandboxFile(path: string, workspace: Workspace): string | undefined {
  if (workspace.has(path)) return path;
  const resolved = workspace.resolveModule(path, path);
  if (resolved) return resolved;
  return existsSync(path) ? path : undefined;
}
