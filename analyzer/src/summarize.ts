// The walk over a function's body: calls (into packages, globals, or the workspace's own helpers,
// followed several levels deep), loops, recursion and busy-waits, each turned into findings.
// Summaries are memoised per function, so a helper shared by many tasks is walked once.
import { Node, SyntaxKind, type CallExpression, type NewExpression, type ParameterDeclaration, type PropertyAccessExpression, type TaggedTemplateExpression } from 'ts-morph';
import type { Finding, Looping, Summary } from './findings.ts';
import { DEFAULT_COST, findModule, globalFact, moduleFact, type ApiFact } from './knowledge/index.ts';
import { AWAITER_HELPERS, GENERATOR_HELPERS, GENERATOR_YIELD } from './knowledge/interop.ts';
import { findDeclaration, isFunctionLike, ITERATING_METHODS, unwrap, type FunctionLike, type Origin, type Resolver } from './resolve.ts';
import { numberValue } from './values.ts';

export const DEFAULT_MAX_DEPTH = 8;
/** Nodes one function may cost before the walk stops with a partial answer (generated or minified code). */
const MAX_NODES_PER_FUNCTION = 60_000;
/** A literal loop bound at least this big means real work per call. */
const BIG_LOOP_BOUND = 10_000;
/** Below this a literal bound (or a literal list) is a fixed handful: it multiplies nothing. */
const SMALL_LOOP_BOUND = 100;

/** Reads of the current time a busy-wait spins on (`new Date()` without arguments only: `new Date(start)` is a value). */
const CLOCK = /\b(Date\.now|performance\.now|process\.hrtime(?:\.bigint)?)\s*\(|\bnew Date\s*\(\s*\)/;

const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=']);

/** Globals that schedule a callback for later: the callback is not the caller's work. */
const SCHEDULERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process.nextTick']);

/** Iterating methods whose callback takes the accumulator first and the element second. */
const REDUCERS = new Set(['reduce', 'reduceRight']);

/** Methods cheap per call: a callback made only of these (and operators) does trivial work per element. */
const TRIVIAL_METHODS = new Set([
  'includes', 'indexOf', 'startsWith', 'endsWith', 'has', 'get', 'toLowerCase', 'toUpperCase', 'trim', 'toString',
  'push', 'set', 'add', 'at', 'slice', 'concat', 'valueOf', 'getTime', 'toISOString', 'padStart', 'padEnd', 'charAt',
  'charCodeAt', 'isArray', 'keys', 'values', 'entries', 'assign', 'min', 'max', 'floor', 'ceil', 'round', 'abs', 'Number', 'String', 'Boolean',
]);

/**
 * How many times a loop runs, as far as the code tells: a fixed handful (a small literal bound,
 * a literal list), a large literal bound, an element's own parts (`org.projects` inside a loop over
 * orgs: together they walk the data once), or the size of the data.
 */
type LoopSize = 'small' | 'bounded' | 'big' | 'per-element' | 'data';

/** An enclosing loop, as the loops inside it see it. */
interface LoopFrame {
  size: LoopSize;
  /** The names bound to each element (`row` in `for (const row of rows)`, `o` in `orgs.map((o) => …)`). */
  elements: Set<string>;
}

/** The frames that multiply the work of a loop nested in them. */
const multiplies = (frame: LoopFrame): boolean => frame.size !== 'small';

/** Methods that iterate over their receiver's own elements. */
const ITERATORS = new Set(['entries', 'values', 'keys']);

type Call = CallExpression | NewExpression | TaggedTemplateExpression;

export class Summarizer {
  private readonly memo = new Map<Node, Summary>();
  private readonly active = new Set<Node>();

  constructor(private readonly resolver: Resolver, private readonly maxDepth = DEFAULT_MAX_DEPTH) {}

  /** Forget every summary. */
  clear(): void {
    this.memo.clear();
  }

  /** Forget the summaries that read `file` (their nodes, or what they resolved through it, changed). */
  invalidate(file: string): void {
    for (const [fn, summary] of this.memo) if (summary.files.has(file)) this.memo.delete(fn);
  }

  summarize(fn: FunctionLike, depth = 0): Summary {
    const cached = this.memo.get(fn);
    if (cached) return cached;
    const summary: Summary = { findings: [], files: new Set([fn.getSourceFile().getFilePath()]), loops: 'none', partial: [] };
    this.active.add(fn);
    try {
      this.resolver.tracking(summary.files, () => new Walk(this, this.resolver, fn, summary, depth).run());
    } catch (error) {
      // Generated code nested thousands deep exhausts the stack: keep what was seen until then.
      if (!(error instanceof RangeError)) throw error;
      summary.partial.push(`${describeFunction(fn)} is nested too deeply to walk in full`);
    } finally {
      this.active.delete(fn);
    }
    this.memo.set(fn, summary);
    return summary;
  }

  isActive(fn: Node): boolean { return this.active.has(fn); }
  get depthLimit(): number { return this.maxDepth; }
}

class Walk {
  private nodes = 0;
  private readonly file: string;

  constructor(
    private readonly summarizer: Summarizer,
    private readonly resolver: Resolver,
    private readonly fn: FunctionLike,
    private readonly summary: Summary,
    private readonly depth: number,
  ) {
    this.file = fn.getSourceFile().getFilePath();
  }

  run(): void {
    const body = this.fn.getBody();
    if (body) this.visit(body, []);
  }

  private add(finding: Omit<Finding, 'file' | 'line'>): void {
    this.summary.findings.push({ ...finding, file: this.file, line: finding.node.getStartLineNumber() });
  }

  /** `loops`: the loops (in this function) enclosing `node` that run without awaiting, innermost last. */
  private visit(node: Node, loops: LoopFrame[]): void {
    if (++this.nodes > MAX_NODES_PER_FUNCTION) {
      if (this.nodes === MAX_NODES_PER_FUNCTION + 1) {
        this.summary.partial.push(`stopped walking ${describeFunction(this.fn)} after ${MAX_NODES_PER_FUNCTION} nodes`);
      }
      return;
    }
    // Nested declarations run only when called: the call is followed instead.
    if (Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node) || Node.isInterfaceDeclaration(node) || Node.isTypeAliasDeclaration(node)) return;
    if (isLoop(node)) { this.loop(node, loops); return; }
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) {
      // A timer's or microtask's callback runs later, outside the task's time.
      if (isScheduled(node)) return;
      // A callback: an iterating array method runs it per element; others (then, new Promise) once.
      const iterates = isIterationCallback(node);
      const frame = iterates && !isAsync(node) ? this.iteration(node, loops) : undefined;
      const body = node.getBody();
      if (body) this.visit(body, frame ? [...loops, frame] : loops);
      return;
    }
    if (Node.isCallExpression(node) || Node.isNewExpression(node) || Node.isTaggedTemplateExpression(node)) this.call(node, loops);
    node.forEachChild((child) => this.visit(child, loops));
  }

  /** `rows.map((row) => …)`: a loop over `rows`, judged by its size and by the work per element. */
  private iteration(callback: Node & { getParameters(): ParameterDeclaration[] }, loops: LoopFrame[]): LoopFrame {
    const call = callback.getParent() as CallExpression;
    const access = call.getExpression() as PropertyAccessExpression;
    const size = this.sizeOf(access.getExpression(), loops);
    // The element is reduce's second parameter (the first is the accumulator), the others' first.
    const element = callback.getParameters()[REDUCERS.has(access.getName()) ? 1 : 0];
    const frame: LoopFrame = { size, elements: new Set(element ? boundNames(element.getNameNode()) : []) };
    const what = `${calleeName(callback)}()`;
    // Over a literal list, or an element's own parts (the outer loop and this one walk the data once).
    if (size === 'small' || size === 'per-element') return frame;
    const trivial = trivialBody(callback);
    this.looped(trivial ? 'trivial' : 'work');
    if (loops.some(multiplies)) {
      // A lookup per element (`ids.filter((id) => !pending.some(…))`) is quadratic only when both
      // lists are large; a trivial one is moderate work. Real work per pair multiplies and blocks.
      if (trivial) this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what: `${what} per element`, node: call, message: `${what} inside a loop does a trivial lookup per element: quadratic only if both collections are large` });
      else this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: `nested ${what}`, node: call, message: `${what} inside a loop runs its callback for every element of every round: the work multiplies and blocks the event loop` });
    } else if (trivial) {
      this.add({ effect: 'cpu-light', cost: 'cpu-trivial', what, node: call, message: `${what} does trivial work per element on the event loop` });
    } else {
      this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what, node: call, message: `${what} runs its callback for every element on the event loop` });
    }
    return frame;
  }

  private looped(how: Looping): void {
    if (how === 'work' || this.summary.loops === 'none') this.summary.loops = how;
  }

  private loop(node: Node, loops: LoopFrame[]): void {
    const body = loopBody(node);
    const awaits = (Node.isForOfStatement(node) && node.isAwaited()) || (body !== undefined && containsAwait(body));
    if (awaits) {
      // A loop of awaits spends its time waiting, whatever it iterates over.
      node.forEachChild((child) => this.visit(child, loops));
      return;
    }
    const condition = loopCondition(node);
    const size = this.loopSize(node, condition, loops);
    const outer = loops.findLast(multiplies);
    const clock = condition && !advances(node, condition) ? CLOCK.exec(condition.getText()) : null;
    if (clock) {
      this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: 'busy-wait', node, message: `busy-wait on ${clock[1] ?? 'new Date'}(): the loop spins the CPU and blocks the event loop until the deadline` });
    } else if (size === 'big') {
      const bound = bigBound(condition, this.resolver)!;
      this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: `loop of ${bound.toLocaleString('en-US')}`, node, message: `loop of ${bound.toLocaleString('en-US')} iterations without await blocks the event loop` });
    } else if (outer && size !== 'small' && size !== 'per-element') {
      this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: 'nested loop', node, message: 'nested loop without await: the work grows with the product of both sizes and blocks the event loop' });
    } else if (size === 'data' || size === 'bounded') {
      this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what: 'loop over data', node, message: 'loop over data without await: CPU work on the event loop' });
    }
    if (size !== 'small' && size !== 'per-element') this.looped('work');
    const frame: LoopFrame = { size, elements: new Set(loopElements(node)) };
    node.forEachChild((child) => this.visit(child, [...loops, frame]));
  }

  private loopSize(node: Node, condition: Node | undefined, loops: LoopFrame[]): LoopSize {
    if (Node.isForOfStatement(node) || Node.isForInStatement(node)) return this.sizeOf(node.getExpression(), loops);
    if (Node.isForStatement(node) && condition && Node.isBinaryExpression(condition)) {
      const right = unwrap(condition.getRight());
      // i < 10, or i < MAX_DEPTH where const MAX_DEPTH = 10.
      const bound = numberValue(this.resolver, right);
      if (bound !== undefined) {
        return bound >= BIG_LOOP_BOUND ? 'big' : bound >= SMALL_LOOP_BOUND ? 'bounded' : 'small';
      }
      // i < list.length: as big as the list.
      if (Node.isPropertyAccessExpression(right) && right.getName() === 'length') return this.sizeOf(right.getExpression(), loops);
    }
    return 'data';
  }

  /** The size of a collection iterated over. */
  private sizeOf(collection: Node, loops: LoopFrame[]): LoopSize {
    const node = unwrap(collection);
    if (Node.isArrayLiteralExpression(node)) {
      // [...rows] is as big as rows.
      if (node.getElements().some((e) => Node.isSpreadElement(e))) return 'data';
      return node.getElements().length < SMALL_LOOP_BOUND ? 'small' : 'bounded';
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return 'small';
    // Object.keys({ … }), Object.entries(CONSTANTS): as big as a literal.
    if (Node.isCallExpression(node) && /^Object\.(keys|values|entries)$/.test(node.getExpression().getText())) {
      const arg = node.getArguments()[0];
      return arg ? this.sizeOf(arg, loops) : 'data';
    }
    if (Node.isObjectLiteralExpression(node)) return 'small';
    // list.entries(), map.values(): an iterator over the collection, as big as it.
    if (Node.isCallExpression(node) && !node.getArguments().length) {
      const callee = unwrap(node.getExpression());
      if (Node.isPropertyAccessExpression(callee) && ITERATORS.has(callee.getName())) return this.sizeOf(callee.getExpression(), loops);
    }
    if (Node.isIdentifier(node)) {
      // const STEPS = ['a', 'b']: as small as its literal, unless the code grows it (`unique.push(…)`).
      const decl = findDeclaration(node.getText(), node);
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      const literal = init && unwrap(init);
      const grows = new RegExp(`\\b${node.getText()}\\.(push|unshift|splice)\\(|\\b${node.getText()}\\[[^\\]]+\\]\\s*=[^=]`);
      if (literal && ((Node.isArrayLiteralExpression(literal) && literal.getElements().length) || Node.isObjectLiteralExpression(literal))
        && !grows.test(decl!.getParentOrThrow().getParentOrThrow().getParentOrThrow().getText())) return this.sizeOf(literal, loops);
    }
    // org.projects inside a loop over orgs, or the element itself: each element's own parts.
    const root = propertyRoot(node) ?? (Node.isIdentifier(node) ? node.getText() : undefined);
    if (root && loops.some((frame) => frame.elements.has(root))) return 'per-element';
    // const parts = value.split(re): made from an element, as big as the element.
    if (Node.isIdentifier(node)) {
      const decl = findDeclaration(node.getText(), node);
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      const from = init && callRoot(init);
      if (from && loops.some((frame) => frame.elements.has(from))) return 'per-element';
    }
    return 'data';
  }

  private call(call: Call, loops: LoopFrame[]): void {
    const calleeNode = Node.isTaggedTemplateExpression(call) ? call.getTag() : call.getExpression();
    if (calleeNode.getKind() === SyntaxKind.ImportKeyword) return;
    // __awaiter(this, …, function* () {…}): the async function's own body, walked as the argument.
    if (asyncHelper(call)) return;
    let origin = this.resolver.asValue(this.resolver.resolve(calleeNode));
    // Where syntax loses the trail (or ends in a package the tables do not know), ask the types.
    if ((!origin || (origin.kind === 'module' && !origin.unfollowed && !findModule(origin.specifier))) && Node.isPropertyAccessExpression(calleeNode)) {
      const typed = this.resolver.fromType(calleeNode.getExpression());
      if (typed && findModule(typed.specifier)) origin = this.resolver.member(typed, calleeNode.getName(), 0);
    }
    const isNew = Node.isNewExpression(call);
    if (!origin) {
      // Awaited work that cannot be traced (a callback or client handed in from elsewhere): say so,
      // so that light work around it does not decide the verdict on its own.
      // Awaited, or returned from an async function (`return this.handlers[job.name](job)`); an
      // array method on data that cannot be traced is no wait.
      const fn = call.getFirstAncestor(isFunctionLike);
      const returnedAsync = fn !== undefined && isAsync(fn) && isAwaited(call) && !(Node.isPropertyAccessExpression(calleeNode) && ITERATING_METHODS.has(calleeNode.getName()));
      if (awaits(unwrapParent(call)) || returnedAsync) this.add({ effect: 'unfollowed', cost: 'not-followed', what: `${calleeText(call)}()`, node: call, message: `waits on ${calleeText(call)}(), whose target could not be traced` });
      return;
    }
    switch (origin.kind) {
      case 'module': this.moduleCall(call, origin, isNew); break;
      case 'global': this.globalCall(call, origin.path); break;
      case 'function': this.helperCall(call, origin.node, loops); break;
      case 'class':
        if (isNew) {
          const ctor = origin.node.getConstructors()[0];
          if (ctor) this.helperCall(call, ctor, loops);
        }
        break;
      default: break;
    }
  }

  private moduleCall(call: Call, origin: Extract<Origin, { kind: 'module' }>, isNew: boolean): void {
    const match = origin.unfollowed ? undefined : findModule(origin.specifier);
    const moduleName = match?.name ?? packageOf(origin.specifier);
    const text = calleeText(call);
    const label = text.includes(moduleName) ? `${text}()` : `${text}() (${moduleName})`;
    if (match) {
      const fact = moduleFact(match.facts, origin.path, isNew);
      if (!fact || fact.effect === 'neutral' || this.continuesChain(call, (outer) => outer.kind === 'module' && outer.specifier === origin.specifier
        && moduleFact(match.facts, outer.path, false)?.effect === fact.effect)) return;
      const what = match.builtin ? origin.path.at(-1) ?? moduleName : `${moduleName} ${chainStep(call) ?? origin.path.at(-1) ?? ''}`.trim();
      this.fact(call, fact, label, what, match.facts.isolate);
      return;
    }
    if (origin.unfollowed) {
      // Workspace code the resolution could not reach: say which call, do not guess its cost.
      this.add({ effect: 'unfollowed', cost: 'not-followed', what: `${text}() in ${moduleName}`, node: call, message: `${isAwaited(call) ? 'waits on' : 'calls'} ${text}() in ${moduleName} — source not followed` });
      return;
    }
    if (!isNew && isAwaited(call)) {
      // Said as the user reads it: an awaited call into a package counts as a wait, and we say we did not look inside.
      const where = text.includes(moduleName) ? `${text}()` : `${text}() in ${moduleName}`;
      this.add({ effect: 'io', cost: 'wait-network', what: `${moduleName} ${chainStep(call) ?? ''}`.trim(), node: call, assumed: true, message: `waits on ${where} — source not followed` });
    }
  }

  private globalCall(call: Call, path: string[]): void {
    const fact = globalFact(path);
    if (!fact || fact.effect === 'neutral') return;
    // setTimeout waits only as the promise a task awaits (`await new Promise((r) => setTimeout(r, ms))`).
    if (path.join('.') === 'setTimeout' && !inPromiseExecutor(call)) return;
    if (this.continuesChain(call, (outer) => outer.kind === 'global' && outer.path[0] === path[0] && globalFact(outer.path)?.effect === fact.effect)) return;
    this.fact(call, fact, `${calleeText(call)}()`, path.join('.'));
  }

  /**
   * `sharp(x).resize(800).jpeg()`: one operation, not three. True when `call` is the receiver of a
   * further call that `sameWork` says continues it (the outer call is the one counted).
   */
  private continuesChain(call: Call, sameWork: (outer: Origin) => boolean): boolean {
    const access = call.getParent();
    if (!access || !Node.isPropertyAccessExpression(access) || access.getExpression() !== call) return false;
    const outer = access.getParent();
    if (!outer || !Node.isCallExpression(outer) || outer.getExpression() !== access) return false;
    const origin = this.resolver.resolve(access);
    return origin !== undefined && sameWork(origin);
  }

  private fact(call: Call, fact: ApiFact, label: string, what: string, isolate?: boolean): void {
    const { effect } = fact;
    if (effect === 'neutral') return;
    this.add({ effect, cost: fact.cost ?? DEFAULT_COST[effect], what, node: call, label, message: `${label} ${fact.why}`, replacement: fact.replacement, isolate });
  }

  /** A call whose arguments are all parts of values or literals (and there is one at least). */
  private onPartsOnly(call: Call, target: FunctionLike, loops: LoopFrame[]): boolean {
    const args = Node.isCallExpression(call) || Node.isNewExpression(call) ? call.getArguments() : [];
    const params = target.getParameters();
    // A whole value handed in only for lookups (`process(row, commentsById)` reading commentsById.get(id))
    // adds no rounds: only what the helper iterates over (or hands on) counts.
    return args.length > 0 && args.every((arg, i) => Node.isLiteralExpression(unwrap(arg)) || this.isPart(arg, loops)
      || (params[i] !== undefined && !mayIterate(target, params[i])));
  }

  /** `arg` is a part of some value: a property or element of it, an enclosing loop's element, or a name bound to one. */
  private isPart(arg: Node, loops: LoopFrame[], depth = 0): boolean {
    const node = unwrap(arg);
    if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) return true;
    // row.items ?? [] is row.items; [...a, ...b] of parts is a part.
    if (Node.isBinaryExpression(node) && [SyntaxKind.QuestionQuestionToken, SyntaxKind.BarBarToken].includes(node.getOperatorToken().getKind())) {
      return this.isPart(node.getLeft(), loops, depth);
    }
    if (Node.isArrayLiteralExpression(node)) {
      return node.getElements().length > 0 && depth < 3
        && node.getElements().every((e) => this.isPart(Node.isSpreadElement(e) ? e.getExpression() : e, loops, depth + 1));
    }
    if (Node.isCallExpression(node)) return this.madeFromPart(node, loops, depth);
    if (!Node.isIdentifier(node)) return false;
    if (loops.some((frame) => frame.elements.has(node.getText()))) return true;
    const decl = findDeclaration(node.getText(), node);
    // const [first] = state.items; const value = first?.value
    if (decl && Node.isBindingElement(decl)) return true;
    // mapObject(obj, (value) => walk(value)) inside the function walked: what a helper hands its
    // callback is a part of what it was given. (The walked function's own parameters are not.)
    if (decl && Node.isParameterDeclaration(decl)) {
      const callback = decl.getParent();
      const call = callback.getParent();
      return (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback)) && callback !== this.fn
        && call !== undefined && Node.isCallExpression(call) && call.getArguments().includes(callback);
    }
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    const value = init && unwrap(init);
    if (!value) return false;
    if (Node.isPropertyAccessExpression(value) || Node.isElementAccessExpression(value)) return true;
    return Node.isCallExpression(value) && this.madeFromPart(value, loops, depth);
  }

  /** `normalize(item.input)`, `item.tags.join(',').split(',')`: a value made from a part, as big as it. */
  private madeFromPart(call: CallExpression, loops: LoopFrame[], depth: number): boolean {
    if (depth >= 3) return false;
    const callee = unwrap(call.getExpression());
    const receiver = Node.isPropertyAccessExpression(callee) ? [callee.getExpression()] : [];
    // scores.filter((s) => s.traceId === row.id) in a loop over rows: the element's share of the
    // collection, no bigger than the lookup that made it (charged already).
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'filter') {
      const [test] = call.getArguments();
      const elements = new Set(loops.flatMap((frame) => [...frame.elements]));
      if (test && (Node.isArrowFunction(test) || Node.isFunctionExpression(test))
        && test.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => elements.has(id.getText()))) return true;
    }
    return [...receiver, ...call.getArguments()].some((a) => this.isPart(a, loops, depth + 1));
  }

  private helperCall(call: Call, target: FunctionLike, loops: LoopFrame[]): void {
    if (this.summarizer.isActive(target)) {
      // Recursion: CPU work proportional to the input, unless each step waits.
      if (isAsync(target) || containsAwait(target)) return;
      this.looped('work');
      // On a part of a value (`node.children`, an element): a walk over that structure, each part
      // visited once, like a loop over data. On computed values (`fib(n - 1)`) it may grow without bound.
      if (Node.isCallExpression(call) && call.getArguments().some((arg) => this.isPart(arg, loops))) {
        this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what: `recursive ${describeFunction(target)}()`, node: call, message: `recursive call to ${describeFunction(target)} on a part of its input: a walk over the structure, CPU work on the event loop` });
      } else {
        this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: `recursive ${describeFunction(target)}()`, node: call, message: `recursive call to ${describeFunction(target)}: CPU work that grows with the input, on the event loop` });
      }
      return;
    }
    if (this.depth + 1 > this.summarizer.depthLimit) {
      this.summary.partial.push(`stopped following calls at depth ${this.summarizer.depthLimit} (${describeFunction(target)} at ${this.file}:${call.getStartLineNumber()})`);
      return;
    }
    const sub = this.summarizer.summarize(target, this.depth + 1);
    this.summary.findings.push(...sub.findings);
    for (const file of sub.files) this.summary.files.add(file);
    this.summary.partial.push(...sub.partial);
    if (sub.loops !== 'none') {
      this.looped(sub.loops);
      if (loops.some(multiplies) && !containsAwait(target) && sub.loops === 'trivial') {
        // As a trivial callback nested in a loop: a lookup per element.
        this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what: `${describeFunction(target)}() per element`, node: call, message: `calls ${describeFunction(target)}, which does a trivial lookup per element, inside a loop: quadratic only if both collections are large` });
      } else if (loops.some(multiplies) && !containsAwait(target) && this.onPartsOnly(call, target, loops)) {
        // Handed only the element's parts (`check(row.filter)`, `write(TableName.X, record)`): its
        // loops walk what each element holds, so the loop and the helper walk the data once.
        this.add({ effect: 'cpu-light', cost: 'cpu-moderate', what: `${describeFunction(target)}() per element`, node: call, message: `calls ${describeFunction(target)}, which loops over the parts of each element it is given: CPU work on the event loop` });
      } else if (loops.some(multiplies) && !containsAwait(target)) {
        this.add({ effect: 'cpu-blocking', cost: 'cpu-heavy', what: `${describeFunction(target)}() in a loop`, node: call, message: `calls ${describeFunction(target)}, which loops, inside a loop: the work multiplies and blocks the event loop` });
      }
    }
  }
}

/**
 * Whether a helper may iterate over its parameter: anything but reading it by key (`p.get(k)`,
 * `p.has(k)`, `p[k]`, `p.x`) counts, handing it on included. A destructured parameter may.
 */
function mayIterate(fn: FunctionLike, param: ParameterDeclaration): boolean {
  const name = param.getNameNode();
  if (!Node.isIdentifier(name)) return true;
  return fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name.getText() || id === name) return false;
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === id) {
      return ITERATING_METHODS.has(parent.getName()) || ITERATORS.has(parent.getName()) || parent.getName() === 'length';
    }
    if (Node.isElementAccessExpression(parent) && parent.getExpression() === id) return false;
    return true;
  });
}

function isLoop(node: Node): boolean {
  return Node.isForStatement(node) || Node.isForOfStatement(node) || Node.isForInStatement(node)
    || Node.isWhileStatement(node) || Node.isDoStatement(node);
}

function loopBody(node: Node): Node | undefined {
  return (node as unknown as { getStatement?(): Node }).getStatement?.();
}

function loopCondition(node: Node): Node | undefined {
  if (Node.isForStatement(node)) return node.getCondition();
  if (Node.isWhileStatement(node) || Node.isDoStatement(node)) return node.getExpression();
  return undefined;
}

/** `i < 1_000_000` → 1000000 when at least BIG_LOOP_BOUND. */
function bigBound(condition: Node | undefined, resolver: Resolver): number | undefined {
  if (!condition || !Node.isBinaryExpression(condition)) return undefined;
  const value = numberValue(resolver, condition.getRight());
  return value !== undefined && value >= BIG_LOOP_BOUND ? value : undefined;
}

/** What holds `node`, past parentheses: the await of `await (x())`. */
function unwrapParent(node: Node): Node | undefined {
  let parent = node.getParent();
  while (parent && Node.isParenthesizedExpression(parent)) parent = parent.getParent();
  return parent;
}

/** An await (or for-await) in `node`, not counting nested functions but a compiled async body. */
function containsAwait(node: Node): boolean {
  let found = false;
  const visit = (child: Node): void => {
    if (found) return;
    if (awaits(child) || (Node.isForOfStatement(child) && child.isAwaited())) { found = true; return; }
    if (isFunctionLike(child) && child !== node && !isCompiledAsyncBody(child)) return;
    child.forEachChild(visit);
  };
  if (isFunctionLike(node)) { const body = node.getBody(); if (body) visit(body); } else visit(node);
  return found;
}

/** Declared async, or compiled from an async function: it returns `__awaiter(…)`. */
function isAsync(fn: FunctionLike): boolean {
  if ('isAsync' in fn && typeof fn.isAsync === 'function' && fn.isAsync()) return true;
  const body = fn.getBody();
  if (!body) return false;
  const returned = Node.isBlock(body) ? body.getStatements().filter(Node.isReturnStatement).map((r) => r.getExpression()) : [body];
  return returned.some((e) => e !== undefined && asyncHelper(unwrap(e)) !== undefined);
}

/** The compiler helper `node` calls to run a compiled async function (`__awaiter`, `(0, tslib_1.__awaiter)`, `__generator`). */
function asyncHelper(node: Node): string | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  // (0, tslib_1.__awaiter)(…): unwrap drops the comma that keeps `this` out of the call.
  const callee = unwrap(node.getExpression());
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : undefined;
  return name !== undefined && (AWAITER_HELPERS.has(name) || GENERATOR_HELPERS.has(name)) ? name : undefined;
}

/** The function handed to `__awaiter` or `__generator`: a compiled async function's body. */
function isCompiledAsyncBody(fn: Node): boolean {
  const parent = fn.getParent();
  return parent !== undefined && asyncHelper(parent) !== undefined && (parent as CallExpression).getArguments().includes(fn);
}

/**
 * `node` waits for its operand: `await x`, a `yield x` in a compiled async body, or the
 * `return [4, x]` a `__generator` state machine yields with.
 */
function awaits(node: Node | undefined): boolean {
  if (!node) return false;
  if (Node.isAwaitExpression(node)) return true;
  const fn = () => node.getFirstAncestor(isFunctionLike);
  if (Node.isYieldExpression(node)) {
    const body = fn();
    return !node.getAsteriskToken() && body !== undefined && isCompiledAsyncBody(body) && AWAITER_HELPERS.has(asyncHelper(body.getParentOrThrow())!);
  }
  if (Node.isArrayLiteralExpression(node) && Node.isReturnStatement(node.getParent())) {
    const [op] = node.getElements();
    const body = fn();
    return op !== undefined && Node.isNumericLiteral(op) && op.getLiteralValue() === GENERATOR_YIELD
      && body !== undefined && isCompiledAsyncBody(body) && GENERATOR_HELPERS.has(asyncHelper(body.getParentOrThrow())!);
  }
  return false;
}

/** How the code names what it calls, shortened: `sheet.addRows`, `new Pool`. */
function calleeText(call: Call): string {
  // `(0, zlib_1.gzipSync)` reads as zlib_1.gzipSync; a chain split over lines as one line.
  const callee = unwrap(Node.isTaggedTemplateExpression(call) ? call.getTag() : call.getExpression());
  const text = callee.getText().replace(/\s*\n\s*/g, '').replace(/\s+/g, ' ');
  const short = text.length > 50 ? `…${text.slice(-49)}` : text;
  return Node.isNewExpression(call) ? `new ${short}` : short;
}

/** The package a specifier names: "@acme/server/db" → "@acme/server", "lodash/fp" → "lodash". */
function packageOf(specifier: string): string {
  const parts = specifier.replace(/^node:/, '').split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The step of a method chain that names the work: a builder's first step (`sharp(x).resize(800).jpeg()`
 * → resize), a client's last (`bucket.file(n).download()` → download).
 */
function chainStep(call: Call): string | undefined {
  const steps: string[] = [];
  let node: Node = call;
  while ((Node.isCallExpression(node) || Node.isNewExpression(node)) && Node.isPropertyAccessExpression(node.getExpression())) {
    const access = node.getExpression() as PropertyAccessExpression;
    steps.unshift(access.getName());
    node = unwrap(access.getExpression());
  }
  return Node.isCallExpression(node) || Node.isNewExpression(node) ? steps[0] : steps.at(-1);
}

/** The identifier a property path starts from: `org` for `org.projects.items`. */
function propertyRoot(node: Node): string | undefined {
  let current = unwrap(node);
  while (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current)) current = unwrap(current.getExpression());
  return Node.isIdentifier(current) && current !== unwrap(node) ? current.getText() : undefined;
}

/** The value a call chain starts from: `value` for `value.split(re).filter(Boolean)` and for `value.options ?? []`. */
function callRoot(node: Node): string | undefined {
  let current = unwrap(node);
  // A default (`?? []`, `|| []`) is empty: the value is the left side's.
  if (Node.isBinaryExpression(current) && [SyntaxKind.QuestionQuestionToken, SyntaxKind.BarBarToken].includes(current.getOperatorToken().getKind())) {
    current = unwrap(current.getLeft());
  }
  while (Node.isCallExpression(current) || Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current)) current = unwrap(current.getExpression());
  return Node.isIdentifier(current) && current !== unwrap(node) ? current.getText() : undefined;
}

/** The names a binding declares: `row`, or `key` and `value` in `[key, value]`. */
function boundNames(name: Node): string[] {
  if (Node.isIdentifier(name)) return [name.getText()];
  if (Node.isObjectBindingPattern(name) || Node.isArrayBindingPattern(name)) {
    return name.getElements().flatMap((e) => Node.isBindingElement(e) ? boundNames(e.getNameNode()) : []);
  }
  return [];
}

/**
 * The names a loop binds per element: `row` in `for (const row of rows)`, and in an indexed loop
 * the body's `const row = rows[i]` (the element read by the loop's index).
 */
function loopElements(node: Node): string[] {
  if (Node.isForStatement(node)) {
    const init = node.getInitializer();
    const indexes = new Set(Node.isVariableDeclarationList(init) ? init.getDeclarations().flatMap((d) => boundNames(d.getNameNode())) : []);
    const body = node.getStatement();
    if (!indexes.size || !Node.isBlock(body)) return [];
    return body.getStatements().filter(Node.isVariableStatement).flatMap((s) => s.getDeclarations()).flatMap((d) => {
      const value = d.getInitializer() && unwrap(d.getInitializer()!);
      const key = value && Node.isElementAccessExpression(value) ? value.getArgumentExpression() : undefined;
      return key && indexes.has(key.getText()) ? boundNames(d.getNameNode()) : [];
    });
  }
  if (!Node.isForOfStatement(node) && !Node.isForInStatement(node)) return [];
  const init = node.getInitializer();
  return Node.isVariableDeclarationList(init) ? init.getDeclarations().flatMap((d) => boundNames(d.getNameNode())) : [];
}

/**
 * The loop moves something its condition reads (`for (let d = new Date(from); d < new Date(); d.setDate(…))`,
 * a `while` that reassigns its bound): it iterates, it does not spin on the clock.
 */
function advances(loop: Node, condition: Node): boolean {
  if (Node.isForStatement(loop) && loop.getIncrementor()) return true;
  // Variables the condition reads, not property names (`now` in Date.now) nor the clocks themselves.
  const names = new Set(condition.getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => { const parent = id.getParent(); return !(Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id); })
    .map((id) => id.getText()).filter((name) => !['Date', 'performance', 'process'].includes(name)));
  const body = loopBody(loop);
  if (!body || !names.size) return false;
  return body.getDescendants().some((node) => {
    if (Node.isBinaryExpression(node) && ASSIGNMENTS.has(node.getOperatorToken().getText())) {
      return names.has(propertyRoot(node.getLeft()) ?? node.getLeft().getText());
    }
    if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) return names.has(node.getOperand().getText());
    // d.setDate(…), cursor.advance(…)
    if (Node.isCallExpression(node) && Node.isPropertyAccessExpression(node.getExpression())) return names.has(propertyRoot(node.getExpression()) ?? '');
    return false;
  });
}

/** A callback doing constant work per element: no calls but cheap methods, no nested functions. */
function trivialBody(fn: Node): boolean {
  const body = (fn as unknown as { getBody(): Node | undefined }).getBody();
  if (!body) return true;
  return !body.getDescendants().some((node) => {
    if (isFunctionLike(node)) return true;
    if (!Node.isCallExpression(node) && !Node.isNewExpression(node)) return false;
    const callee = node.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    return !TRIVIAL_METHODS.has(name);
  });
}

/** The callback given to setTimeout, setInterval and the like: it runs later, not as part of this call. */
function isScheduled(fn: Node): boolean {
  const parent = fn.getParent();
  return parent !== undefined && Node.isCallExpression(parent) && parent.getArguments()[0] === fn
    && SCHEDULERS.has(parent.getExpression().getText().replace(/^(globalThis|window)\./, ''));
}

/** Inside the executor of `new Promise(…)`: a timer there is what the promise waits for. */
function inPromiseExecutor(call: Node): boolean {
  const fn = call.getFirstAncestor(isFunctionLike);
  const parent = fn?.getParent();
  return parent !== undefined && Node.isNewExpression(parent) && parent.getExpression().getText() === 'Promise';
}

/** `rows.map` for the callback of `rows.map(...)`. */
function calleeName(fn: Node): string {
  const call = fn.getParent() as CallExpression;
  const text = call.getExpression().getText();
  return text.length > 40 ? `…${text.slice(-40)}` : text;
}

function isIterationCallback(fn: Node): boolean {
  const parent = fn.getParent();
  if (!parent || !Node.isCallExpression(parent)) return false;
  const callee = parent.getExpression();
  return Node.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(callee.getName());
}

/**
 * The call's value is waited for: awaited, returned, or handed to Promise.all and friends. Returned
 * from a `.map` callback it is waited for only if the mapped array goes to Promise.all (awaiting an
 * array of values waits for nothing).
 */
function isAwaited(call: Node): boolean {
  // The call's value is only a part of what is returned (`return Object.assign({ size: sizeof(x) }, …)`):
  // returning that does not wait for the call.
  let part = false;
  for (let child = call, node = call.getParent(); node; child = node, node = node.getParent()) {
    if (awaits(node)) return true;
    // x().then(resolve): the chain waits for it, awaited or not (inside `new Promise`, a callback API).
    if (Node.isPropertyAccessExpression(node) && ['then', 'catch', 'finally'].includes(node.getName())) return true;
    part ||= usedAsPart(node, child);
    if (part && (Node.isReturnStatement(node) || Node.isArrowFunction(node))) return false;
    if (Node.isReturnStatement(node) || (Node.isArrowFunction(node) && node.getBody() === call)) {
      const fn = Node.isArrowFunction(node) ? node : node.getFirstAncestor(isFunctionLike);
      if (fn === undefined || !isIterationCallback(fn)) return true;
      // An array of promises is waited for only through Promise.all and friends.
      const gathered = fn.getParentOrThrow().getParent();
      return gathered !== undefined && Node.isCallExpression(gathered) && /^Promise\.(all|allSettled|any|race)$/.test(gathered.getExpression().getText()) && isAwaited(gathered);
    }
    if (Node.isArrowFunction(node)) return isAsync(node);
    if (Node.isStatement(node) || isFunctionLike(node)) return false;
  }
  return false;
}

/** `child`'s value goes into `node` as a part (an argument, a property, an operand, a condition), not as `node`'s value. */
function usedAsPart(node: Node, child: Node): boolean {
  if (Node.isCallExpression(node) || Node.isNewExpression(node)) {
    return node.getArguments().includes(child) && !/^Promise\.(all|allSettled|any|race)$/.test(node.getExpression().getText());
  }
  if (Node.isBinaryExpression(node)) {
    const op = node.getOperatorToken().getKind();
    if (op === SyntaxKind.AmpersandAmpersandToken) return node.getLeft() === child;
    return ![SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken, SyntaxKind.CommaToken].includes(op);
  }
  if (Node.isConditionalExpression(node)) return node.getCondition() === child;
  return Node.isPropertyAssignment(node) || Node.isPrefixUnaryExpression(node) || Node.isTemplateSpan(node);
}

export function describeFunction(fn: FunctionLike): string {
  if ('getName' in fn && typeof fn.getName === 'function') {
    const name = fn.getName();
    if (name) return name;
  }
  const parent = fn.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
  if (parent && Node.isPropertyAssignment(parent)) return parent.getName();
  if (Node.isConstructorDeclaration(fn)) return 'constructor';
  return `the function at line ${fn.getStartLineNumber()}`;
}
