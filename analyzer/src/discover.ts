// Finding tasks in a file: Tasklane's `app.task(name, handler, options)`, BullMQ's
// `new Worker(queue, processor, opts)` (inline, by reference, wrapped, in a method, per element of
// a config array, or a sandboxed processor file), Bull's `queue.process(...)` and NestJS
// `@Processor` classes; a processor that dispatches on the job's name becomes one task per name.
import { existsSync } from 'node:fs';
import { Node, SyntaxKind, ts, type CallExpression, type ClassDeclaration, type ClassExpression, type NewExpression, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { classDecorators, hasCompiledDecorators, methodDecorators, type DecoratorUse } from './decorators.ts';
import { dispatchOf } from './dispatch.ts';
import { BULL, BULLMQ, NEST, nestQueuePackage } from './knowledge/frameworks.ts';
import { findModule } from './knowledge/index.ts';
import { findDeclaration, isFunctionLike, ITERATING_METHODS, unwrap, type FunctionLike, type Origin, type Resolver } from './resolve.ts';
import type { TaskAnalysis } from './types.ts';
import { booleanValue, numberValue, objectValue, pathValue, propertyNode, stringValue } from './values.ts';
import type { FileEntry, Workspace } from './workspace.ts';

export interface FoundTask {
  /** Task name; for BullMQ and Bull the queue name, `queue:job` for one job name of a queue. */
  name: string;
  framework: TaskAnalysis['framework'];
  file: string;
  line: number;
  /** The declaration: `app.task(...)`, `new Worker(...)`, `queue.process(...)`, a NestJS class or method. */
  call: Node;
  /** Where routing diagnostics point: the queue option if written, else the name argument. */
  anchor: Node;
  handler?: FunctionLike;
  /** The factory call that made the handler (`multiJobProcessor({ … })`): its arguments are the factory's parameters. */
  factory?: CallExpression;
  /** Files read to find it (its name, app, options, processor): it must be found again when one changes. */
  reads: Set<string>;
  /** Why the handler could not be followed, when it could not. */
  unresolved?: string;
  queue?: string;
  queueNode?: Node;
  hasTimeLimit: boolean;
  options?: ObjectLiteralExpression;
  /** A processor of the Bull family (BullMQ, Bull, NestJS on either). */
  bullmq?: {
    /** The processor runs in a child process (a file path), or a worker thread with useWorkerThreads. */
    sandboxed: boolean;
    processorFile?: string;
    useWorkerThreads: boolean;
    /** BullMQ's and Bull's default is 1. */
    concurrency: number;
    /** The queue package whose Job the processor is handed ('bullmq' or 'bull'). */
    jobPackage: string;
  };
}

const TASKLANE = /^tasklane(\/|$)/;

type Task = Omit<FoundTask, 'reads'>;

/** Cheap text test before walking a file's syntax. */
export function mayDeclareTasks(text: string): boolean {
  return text.includes('.task(') || text.includes('.task<') || text.includes('Worker') || text.includes('.process(') || text.includes('Processor');
}

export function discoverTasks(entry: FileEntry, resolver: Resolver, workspace: Workspace): FoundTask[] {
  const text = entry.sourceFile.getFullText();
  if (!mayDeclareTasks(text)) return [];
  const specifiers = [...entry.imports.values()].map((binding) => binding.specifier);
  // The runtime may be imported by path (its own tests, a monorepo): createApp names it then.
  const importsTasklane = specifiers.some((specifier) => TASKLANE.test(specifier)) || [...entry.imports.values()].some((b) => b.name === 'createApp')
    || /require\(['"]tasklane['"]\)/.test(text);
  const importsBull = specifiers.some((specifier) => BULL.module.test(specifier)) || /require\(['"]bull['"]\)/.test(text);
  const found: FoundTask[] = [];
  for (const node of candidates(entry.sourceFile)) {
    const reads = new Set<string>();
    const tasks = resolver.tracking(reads, (): Task[] => {
      if (Node.isCallExpression(node)) {
        const task = tasklaneTask(node, resolver, importsTasklane);
        if (task) return [task];
        const processes = bullProcess(node, resolver, workspace, importsBull);
        return processes.length ? processes : registeredWorkers(node, resolver, workspace);
      }
      if (Node.isNewExpression(node)) return bullmqWorkers(node, resolver, workspace);
      if (Node.isClassDeclaration(node) || Node.isClassExpression(node)) return nestProcessors(node, resolver);
      return [];
    });
    for (const task of tasks) {
      for (const t of perJobName(task, resolver)) {
        // The job a processor is handed is the queue package's Job, typed or not (compiled code).
        if (t.handler && t.bullmq) resolver.markJobParameter(t.handler, t.bullmq.jobPackage);
        found.push({ ...t, reads });
      }
    }
  }
  return found;
}

/**
 * `x.task(...)` and `x.process(...)` calls, `new X(...)` expressions and decorated classes, found
 * with an explicit stack over the compiler's nodes (deeply nested generated code cannot overflow
 * it), wrapped only when they match.
 */
function candidates(sourceFile: SourceFile): Node[] {
  const sf = sourceFile.compilerNode;
  // Compiled decorators are applied after the class, by name: any class may carry them.
  const compiled = hasCompiledDecorators(sf.text);
  const matches: ts.Node[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const node = stack.pop()!;
    if ((ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['task', BULL.process].includes(node.expression.name.text))
      // A call handing a queue and a processor to the application's own helper that makes the Worker.
      || (ts.isCallExpression(node) && node.arguments.length >= 2)
      || ts.isNewExpression(node)
      || (ts.isClassDeclaration(node) && (compiled || ts.getDecorators(node)?.length))
      || (compiled && ts.isClassExpression(node))) {
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

function tasklaneTask(call: CallExpression, resolver: Resolver, importsTasklane: boolean): Task | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'task') return undefined;
  const [nameArg, handlerArg, optionsArg] = call.getArguments();
  if (!nameArg || !handlerArg) return undefined;
  if (!isTasklaneApp(resolver.resolve(callee.getExpression()), importsTasklane)) return undefined;
  const options = objectValue(resolver, optionsArg);
  const queueNode = propertyNode(options, 'queue');
  const file = call.getSourceFile().getFilePath();
  const task: Task = {
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

/** Every origin an expression may have: both sides of `pro ? WorkerPro : Worker`, through a constant. */
function origins(resolver: Resolver, expr: Node): Array<Origin | undefined> {
  const node = unwrap(expr);
  if (Node.isConditionalExpression(node)) return [...origins(resolver, node.getWhenTrue()), ...origins(resolver, node.getWhenFalse())];
  if (Node.isIdentifier(node)) {
    const decl = findDeclaration(node.getText(), node);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    if (init && Node.isConditionalExpression(unwrap(init))) return origins(resolver, init);
  }
  return [resolver.resolve(node)];
}

const isBullmqWorker = (origin: Origin | undefined): boolean =>
  origin?.kind === 'module' && BULLMQ.module.test(origin.specifier) && BULLMQ.workers.has(origin.path.at(-1)!);

/** Parameters of a helper read as the arguments of a call to it; identity outside one. */
type Binding = (node: Node) => Node;
const unbound: Binding = (node) => node;

function bullmqWorkers(expr: NewExpression, resolver: Resolver, workspace: Workspace): Task[] {
  const args = workerArguments(expr, resolver);
  return args ? workersOf(expr, args, unbound, resolver, workspace) : [];
}

/** The arguments a `new` hands BullMQ's Worker: its own, or through the application's subclass; undefined for other classes. */
function workerArguments(expr: NewExpression, resolver: Resolver): Node[] | undefined {
  return origins(resolver, expr.getExpression()).some(isBullmqWorker) ? expr.getArguments() : workerSubclassArguments(expr, resolver);
}

/**
 * `WorkerManager.register(QueueName.X, processor, opts)`: a call to the application's own helper
 * (a function or a static method, in any file) that makes `new Worker(queue, wrap(processor))` from
 * its parameters. The call is the declaration; queue and processor are the call's arguments.
 */
function registeredWorkers(call: CallExpression, resolver: Resolver, workspace: Workspace): Task[] {
  const helper = resolver.resolve(call.getExpression());
  if (helper?.kind !== 'function' || !helper.node.getText().includes('Worker')) return [];
  const fn = helper.node;
  const bind: Binding = (node) => argumentFor(node, fn, call.getArguments());
  for (const made of fn.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const args = workerArguments(made, resolver);
    // Only a Worker whose queue is the helper's parameter: any other is a worker of its own file.
    if (args?.[0] && bind(args[0]) !== args[0]) return workersOf(call, args, bind, resolver, workspace);
  }
  return [];
}

/** The tasks of one Worker construction: `args` as the Worker receives them, `bind` reading a helper's parameters. */
function workersOf(expr: NewExpression | CallExpression, args: Node[], bind: Binding, resolver: Resolver, workspace: Workspace): Task[] {
  const [queueArg, processorArg, optsArg] = args.map(bind);
  if (!queueArg) return [];
  // Workers made per element of a config array: one task per element, its own name and processor.
  return perElement(expr, resolver).map((element) => {
    const value = (arg: Node | undefined) => arg && element(arg);
    const opts = objectValue(resolver, value(optsArg));
    const task = bullTask(expr, 'bullmq', resolver, value(queueArg)!, queueArg, {
      sandboxed: false,
      jobPackage: 'bullmq',
      useWorkerThreads: booleanValue(resolver, propertyNode(opts, 'useWorkerThreads')) ?? false,
      concurrency: numberValue(resolver, propertyNode(opts, 'concurrency')) ?? 1,
    });
    task.options = opts;
    if (processorArg) attachProcessor(task, resolver, workspace, value(processorArg)!, bind);
    else task.unresolved = 'the Worker has no processor';
    return task;
  });
}

/**
 * `new QueueWorker(...)` of the application's own subclass of BullMQ's Worker (through its own base
 * classes): the arguments its constructors hand up to Worker's `super(queue, processor, opts)`,
 * each constructor's parameters read as the arguments it was given; undefined for other classes.
 */
function workerSubclassArguments(expr: NewExpression, resolver: Resolver): Node[] | undefined {
  const made = resolver.asValue(resolver.resolve(expr.getExpression()));
  let cls = made?.kind === 'class' ? made.node : undefined;
  let args: Node[] = expr.getArguments();
  for (let depth = 0; cls && depth < 8; depth++) {
    const base = cls.getExtends()?.getExpression();
    if (!base) return undefined;
    // Without a constructor of its own, a class hands its arguments up unchanged.
    const ctor = cls.getConstructors().find((c) => c.getBody());
    if (ctor) {
      const superCall = ctor.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => c.getExpression().getKind() === SyntaxKind.SuperKeyword);
      if (!superCall) return undefined;
      const given = args;
      args = superCall.getArguments().map((arg) => argumentFor(arg, ctor, given));
    }
    const origin = resolver.resolve(base);
    if (isBullmqWorker(origin)) return args;
    cls = origin?.kind === 'class' ? origin.node : undefined;
  }
  return undefined;
}

/**
 * Bull 3's `queue.process(name?, concurrency?, processor | path)`, on a queue traced to 'bull', or
 * untraceable (a wrapper's queue) in a file that imports it.
 */
function bullProcess(call: CallExpression, resolver: Resolver, workspace: Workspace, importsBull: boolean): Task[] {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== BULL.process) return [];
  const args = call.getArguments();
  const processorArg = args.at(-1);
  const spread = args.some((arg) => Node.isSpreadElement(arg));
  if (!processorArg || args.length > 3) return [];
  const receiver = resolver.resolve(callee.getExpression());
  const isBull = receiver?.kind === 'module' ? BULL.module.test(receiver.specifier) || importsBull : receiver === undefined && importsBull;
  // A wrapper's queue (`Jobs.queue`, `getIndexQueue()`, an instance of the code's own queue class)
  // or one from a package whose source is not here: a queue-named receiver handed a function (or
  // the arguments passed on) is Bull-shaped enough.
  const untraced = receiver === undefined || receiver.kind === 'function' || receiver.kind === 'instance' || (receiver.kind === 'module' && !BULLMQ.module.test(receiver.specifier) && !findModule(receiver.specifier));
  const wrapped = untraced && BULL.wrapperQueue.test(receiverName(callee.getExpression()) ?? '')
    && (spread || Node.isArrowFunction(unwrap(processorArg)) || Node.isFunctionExpression(unwrap(processorArg)));
  if (!isBull && !wrapped) return [];
  if (spread) {
    const task = bullTask(call, 'bull', resolver, callee.getExpression(), callee.getNameNode(), { sandboxed: false, useWorkerThreads: false, concurrency: 1, jobPackage: 'bull' });
    task.unresolved = 'the processor is passed on through a spread argument';
    return [task];
  }
  const queueCall = receiver?.kind === 'module' ? queueConstruction(callee.getExpression(), resolver) : undefined;
  const queueArg = queueCall?.getArguments()[0];
  const [first, second] = args.slice(0, -1);
  const jobName = first && stringValue(resolver, first);
  const concurrency = numberValue(resolver, jobName === undefined ? first : second) ?? 1;
  const task = bullTask(call, 'bull', resolver, queueArg ?? callee.getExpression(), callee.getNameNode(), { sandboxed: false, useWorkerThreads: false, concurrency, jobPackage: 'bull' });
  if (jobName !== undefined && jobName !== '*') task.name = `${task.name}:${jobName}`;
  attachProcessor(task, resolver, workspace, processorArg);
  return [task];
}

/** What a receiver is called: `this._queue` → _queue, `getIndexQueue()` → getIndexQueue, `getQueue(name)` → getQueue. */
function receiverName(expr: Node): string | undefined {
  const node = unwrap(expr);
  if (Node.isIdentifier(node)) return node.getText();
  if (Node.isPropertyAccessExpression(node)) return node.getName();
  if (Node.isCallExpression(node)) return receiverName(node.getExpression());
  return undefined;
}

/** The `new Queue(...)` / `Bull(...)` call a queue expression was made by, when it is in sight. */
function queueConstruction(expr: Node, resolver: Resolver): CallExpression | NewExpression | undefined {
  let node = unwrap(expr);
  for (let hops = 0; hops < 8 && Node.isIdentifier(node); hops++) {
    const decl = findDeclaration(node.getText(), node);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    if (!init) return undefined;
    node = unwrap(init);
  }
  if (!Node.isNewExpression(node) && !Node.isCallExpression(node)) return undefined;
  const origin = resolver.resolve(node.getExpression());
  return origin?.kind === 'module' && BULL.module.test(origin.specifier) ? node : undefined;
}

/**
 * NestJS: a `@Processor(queue)` class (decorators as written or compiled), on @nestjs/bullmq (its
 * `process`, own or inherited from a base class) or @nestjs/bull (its `@Process` methods; event
 * handlers such as `@OnQueueActive` are not tasks).
 */
function nestProcessors(cls: ClassDeclaration | ClassExpression, resolver: Resolver): Task[] {
  const isNest = (use: DecoratorUse, name: string, ...modules: RegExp[]): boolean => {
    const origin = resolver.resolve(use.expression);
    return origin?.kind === 'module' && modules.some((m) => m.test(origin.specifier)) && origin.path.at(-1) === name;
  };
  const decorator = classDecorators(cls).map((d) => processorDecorator(d, resolver, (u) => isNest(u, NEST.processor, NEST.bullmq.module, NEST.bull.module)))
    .find((d) => d !== undefined);
  if (!decorator) return [];
  const [queueArg, optsArg] = decorator.arguments;
  const nestModule = resolver.resolve(decorator.expression) as Extract<Origin, { kind: 'module' }>;
  const jobPackage = nestQueuePackage(nestModule.specifier) ?? 'bullmq';
  const queueOptions = objectValue(resolver, queueArg);
  const queueNode = decorator.bind(queueOptions ? propertyNode(queueOptions, 'name') : queueArg);
  const concurrency = numberValue(resolver, decorator.bind(propertyNode(queueOptions ?? objectValue(resolver, optsArg), 'concurrency'))) ?? 1;
  const processor = (call: Node, handler: FunctionLike, jobName: string | undefined): Task => {
    const task = bullTask(call, 'nestjs', resolver, queueNode ?? decorator.expression, queueNode ?? decorator.expression, { sandboxed: false, useWorkerThreads: false, concurrency, jobPackage });
    // `@Processor()` (or options without a name) serves the module's unnamed queue.
    if (!queueNode) task.name = task.queue = NEST.defaultQueue;
    if (jobName !== undefined && jobName !== '*') task.name = `${task.name}:${jobName}`;
    task.handler = handler;
    return task;
  };
  if (extendsWorkerHost(cls, resolver)) {
    const method = resolver.member({ kind: 'instance', node: cls }, NEST.bullmq.method, 0);
    return method?.kind === 'function' ? [processor(cls, method.node, undefined)] : [];
  }
  return cls.getInstanceMethods().flatMap((method) => {
    const process = methodDecorators(cls, method).find((d) => isNest(d, NEST.bull.method, NEST.bull.module));
    if (!process) return [];
    const [nameArg] = process.arguments;
    const options = objectValue(resolver, nameArg);
    const jobName = stringValue(resolver, options ? propertyNode(options, 'name') : nameArg);
    return [processor(method, method, jobName)];
  });
}

/**
 * The `@Processor(...)` a class decorator stands for: itself, or the one the application's own
 * decorator returns (`QueueProcessor(name)` returning `Processor({ name, … })` or
 * `applyDecorators(Processor(name), …)`), whose parameters then read as the decorator's arguments.
 */
function processorDecorator(use: DecoratorUse, resolver: Resolver, isProcessor: (use: DecoratorUse) => boolean): (DecoratorUse & { bind(node: Node | undefined): Node | undefined }) | undefined {
  if (isProcessor(use)) return { ...use, bind: (node) => node };
  const wrapper = resolver.resolve(use.expression);
  if (wrapper?.kind !== 'function') return undefined;
  for (const returned of returnedExpressions(wrapper.node)) {
    const outer = unwrap(returned);
    if (!Node.isCallExpression(outer)) continue;
    for (const call of [outer, ...outer.getArguments().map(unwrap).filter(Node.isCallExpression)]) {
      const inner: DecoratorUse = { expression: unwrap(call.getExpression()), arguments: call.getArguments() };
      if (isProcessor(inner)) return { ...inner, bind: (node) => node && argumentFor(node, wrapper.node, use.arguments) };
    }
  }
  return undefined;
}

/** What a function returns: its expression body, or the expressions of its own return statements. */
function returnedExpressions(fn: FunctionLike): Node[] {
  const body = fn.getBody();
  if (!body) return [];
  if (!Node.isBlock(body)) return [body];
  return body.getDescendantsOfKind(SyntaxKind.ReturnStatement)
    .filter((ret) => ret.getFirstAncestor(isFunctionLike) === fn)
    .flatMap((ret) => ret.getExpression() ?? []);
}

/** A parameter of `fn` read inside it stands for the argument a call passed in its place; anything else for itself. */
function argumentFor(node: Node, fn: FunctionLike, args: Node[]): Node {
  const inner = unwrap(node);
  if (!Node.isIdentifier(inner)) return node;
  const decl = findDeclaration(inner.getText(), inner);
  const index = decl && Node.isParameterDeclaration(decl) ? fn.getParameters().indexOf(decl) : -1;
  return index >= 0 && args[index] ? args[index] : node;
}

/** The class extends @nestjs/bullmq's WorkerHost, directly or through the application's own base classes. */
function extendsWorkerHost(cls: ClassDeclaration | ClassExpression, resolver: Resolver): boolean {
  let current: ClassDeclaration | ClassExpression | undefined = cls;
  for (let depth = 0; current && depth < 8; depth++) {
    const base: Node | undefined = current.getExtends()?.getExpression();
    const origin: Origin | undefined = base && resolver.resolve(base);
    if (origin?.kind === 'module') return NEST.bullmq.module.test(origin.specifier) && origin.path.at(-1) === NEST.bullmq.host;
    current = origin?.kind === 'class' ? origin.node : undefined;
  }
  return false;
}

function bullTask(call: Node, framework: FoundTask['framework'], resolver: Resolver, queueValue: Node, anchor: Node, bullmq: NonNullable<FoundTask['bullmq']>): Task {
  const queue = stringValue(resolver, queueValue);
  return {
    name: queue ?? queueValue.getText().replace(/\s+/g, ''),
    framework,
    file: call.getSourceFile().getFilePath(),
    line: call.getStartLineNumber(),
    call,
    anchor,
    queue,
    hasTimeLimit: false,
    bullmq,
  };
}

/**
 * How an argument reads for each element when the expression is made in the callback of
 * `configs.map(...)` / `forEach` over an array literal: `c.name` or a destructured `name` becomes
 * the element's property. One identity function when it is not.
 */
function perElement(expr: Node, resolver: Resolver): Array<(arg: Node) => Node> {
  const identity = [(arg: Node) => arg];
  const callback = expr.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  const call = callback?.getParent();
  if (!callback || !call || !Node.isCallExpression(call) || !call.getArguments().includes(callback)) return identity;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !ITERATING_METHODS.has(callee.getName())) return identity;
  const array = resolver.resolve(callee.getExpression());
  const param = (callback as FunctionLike).getParameters()[0];
  if (array?.kind !== 'value' || !Node.isArrayLiteralExpression(array.node) || !param) return identity;
  const elements = array.node.getElements().map((element) => objectValue(resolver, element));
  if (!elements.length || elements.some((element) => !element)) return identity;
  const nameNode = param.getNameNode();
  return elements.map((element) => (arg: Node) => {
    const node = unwrap(arg);
    let key: string | undefined;
    if (Node.isPropertyAccessExpression(node) && Node.isIdentifier(nameNode) && node.getExpression().getText() === nameNode.getText()) key = node.getName();
    if (Node.isIdentifier(node) && findDeclaration(node.getText(), node)?.getParent() === nameNode) {
      const decl = findDeclaration(node.getText(), node);
      key = decl && Node.isBindingElement(decl) ? decl.getPropertyNameNode()?.getText() ?? decl.getName() : undefined;
    }
    return (key !== undefined && propertyNode(element, key)) || arg;
  });
}

/** A processor: a function (inline, by reference, wrapped) or a sandboxed file whose default export is one. */
function attachProcessor(task: Task, resolver: Resolver, workspace: Workspace, processorArg: Node, bind = unbound): void {
  if (resolver.resolve(processorArg)?.kind === 'function') { attachHandler(task, resolver, processorArg, bind); return; }
  const path = pathValue(resolver, processorArg, task.file);
  if (!path) { attachHandler(task, resolver, processorArg, bind); return; }
  const target = sandboxFile(path, workspace);
  task.bullmq!.sandboxed = true;
  task.bullmq!.processorFile = target ?? path;
  if (!target || (!workspace.has(target) && !workspace.set(target, undefined))) { task.unresolved = `the processor file ${path} was not found`; return; }
  const exported = resolver.resolveExport(target, 'default', 0);
  if (exported?.kind === 'function') task.handler = exported.node;
  else task.unresolved = `the processor file ${target} has no default-exported function`;
}

function attachHandler(task: Task, resolver: Resolver, arg: Node, bind = unbound): void {
  // A wrapped handler (withLogging(fn)): the wrapped function does the work (fn.bind(this) resolves to fn).
  const inner = unwrap(arg);
  if (Node.isCallExpression(inner)) {
    for (const wrapped of inner.getArguments()) {
      const origin = resolver.resolve(bind(wrapped));
      if (origin?.kind === 'function') { task.handler = origin.node; return; }
    }
  }
  const origin = resolver.resolve(arg);
  if (origin?.kind === 'function') { task.handler = origin.node; task.factory = factoryCall(arg); return; }
  task.unresolved = `cannot follow the handler \`${arg.getText().slice(0, 60)}\``;
}

/** The call a handler expression was made by, directly or through a constant: `makeProcessor(opts)`. */
function factoryCall(arg: Node): CallExpression | undefined {
  let node = unwrap(arg);
  if (Node.isIdentifier(node)) {
    const decl = findDeclaration(node.getText(), node);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    if (init) node = unwrap(init);
  }
  return Node.isCallExpression(node) ? node : undefined;
}

/** A Bull-family processor that dispatches on the job's name: one task per name, or unknown when it cannot be followed. */
function perJobName(task: Task, resolver: Resolver): Task[] {
  if (!task.bullmq || !task.handler) return [task];
  const factory = task.factory && resolver.asValue(resolver.resolve(task.factory.getExpression()));
  const made = factory?.kind === 'function' && task.handler.getFirstAncestor((a) => a === factory.node) ? factory.node : undefined;
  const args = task.factory?.getArguments() ?? [];
  const dispatch = dispatchOf(task.handler, resolver, made ? (node) => argumentFor(node, made, args) : undefined);
  if (!dispatch) return [task];
  if ('unresolved' in dispatch) return [{ ...task, handler: undefined, unresolved: dispatch.unresolved }];
  return dispatch.routes.map((route) => ({
    ...task,
    name: route.jobName === '*' ? `${task.name}:*` : `${task.name}:${route.jobName}`,
    handler: route.handler,
    unresolved: route.unresolved,
  }));
}

/** A sandboxed processor's source: the path as written, or its TypeScript twin for a compiled .js path. */
function sandboxFile(path: string, workspace: Workspace): string | undefined {
  if (workspace.has(path)) return path;
  const resolved = workspace.resolveModule(path, path);
  if (resolved) return resolved;
  return existsSync(path) ? path : undefined;
}
