// The walk over a function's body: calls (into packages, globals, or the workspace's own helpers,
// followed several levels deep), loops, recursion and busy-waits, each turned into findings.
// Summaries are memoised per function, so a helper shared by many tasks is walked once.
import { Node, SyntaxKind, type CallExpression, type NewExpression, type TaggedTemplateExpression } from 'ts-morph';
import type { Finding, Summary } from './findings.ts';
import { findModule, globalFact, moduleFact, type ApiFact } from './knowledge/index.ts';
import { isFunctionLike, ITERATING_METHODS, unwrap, type FunctionLike, type Origin, type Resolver } from './resolve.ts';

export const DEFAULT_MAX_DEPTH = 8;
/** Nodes one function may cost before the walk stops with a partial answer (generated or minified code). */
const MAX_NODES_PER_FUNCTION = 60_000;
/** A literal loop bound at least this big means real work per call. */
const BIG_LOOP_BOUND = 10_000;

/** Clocks a busy-wait spins on. */
const CLOCK = /\b(Date\.now|performance\.now|process\.hrtime|new Date)\b/;

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
    const summary: Summary = { findings: [], files: new Set([fn.getSourceFile().getFilePath()]), loops: false, partial: [] };
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
    if (body) this.visit(body, 0);
  }

  private add(finding: Omit<Finding, 'file' | 'line'>): void {
    this.summary.findings.push({ ...finding, file: this.file, line: finding.node.getStartLineNumber() });
  }

  /** `loops`: how many enclosing loops (in this function) run without awaiting. */
  private visit(node: Node, loops: number): void {
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
      // A callback: an iterating array method runs it per element; others (then, setTimeout, new Promise) once.
      const iterates = isIterationCallback(node);
      if (iterates && !node.isAsync()) {
        this.summary.loops = true;
        // Inside a loop, an iterating method is a nested loop: the work multiplies.
        if (loops > 0) this.add({ effect: 'cpu-blocking', node: node.getParent()!, message: `${calleeName(node)}() inside a loop runs its callback for every element of every round: the work multiplies and blocks the event loop` });
        else this.add({ effect: 'cpu-light', node: node.getParent()!, message: `${calleeName(node)}() runs its callback for every element on the event loop` });
      }
      const body = node.getBody();
      if (body) this.visit(body, loops + (iterates ? 1 : 0));
      return;
    }
    if (Node.isCallExpression(node) || Node.isNewExpression(node) || Node.isTaggedTemplateExpression(node)) this.call(node, loops);
    node.forEachChild((child) => this.visit(child, loops));
  }

  private loop(node: Node, loops: number): void {
    const body = loopBody(node);
    const awaits = (Node.isForOfStatement(node) && node.isAwaited()) || (body !== undefined && containsAwait(body));
    if (awaits) {
      // A loop of awaits spends its time waiting, whatever it iterates over.
      node.forEachChild((child) => this.visit(child, loops));
      return;
    }
    const condition = loopCondition(node);
    if (condition && CLOCK.test(condition.getText())) {
      this.add({ effect: 'cpu-blocking', node, message: `busy-wait on ${CLOCK.exec(condition.getText())![1]}(): the loop spins the CPU and blocks the event loop until the deadline` });
    } else if (loops > 0) {
      this.add({ effect: 'cpu-blocking', node, message: 'nested loop without await: the work grows with the product of both sizes and blocks the event loop' });
    } else if (bigBound(condition)) {
      this.add({ effect: 'cpu-blocking', node, message: `loop of ${bigBound(condition)!.toLocaleString('en-US')} iterations without await blocks the event loop` });
    } else {
      this.add({ effect: 'cpu-light', node, message: 'loop over data without await: CPU work on the event loop' });
    }
    this.summary.loops = true;
    node.forEachChild((child) => this.visit(child, loops + 1));
  }

  private call(call: Call, loops: number): void {
    const calleeNode = Node.isTaggedTemplateExpression(call) ? call.getTag() : call.getExpression();
    if (calleeNode.getKind() === SyntaxKind.ImportKeyword) return;
    let origin = this.resolver.resolve(calleeNode);
    // Where syntax loses the trail (or ends in a package the tables do not know), ask the types.
    if ((!origin || (origin.kind === 'module' && !findModule(origin.specifier))) && Node.isPropertyAccessExpression(calleeNode)) {
      const typed = this.resolver.fromType(calleeNode.getExpression());
      if (typed && findModule(typed.specifier)) origin = this.resolver.member(typed, calleeNode.getName(), 0);
    }
    if (!origin) return;
    const isNew = Node.isNewExpression(call);
    switch (origin.kind) {
      case 'module': this.moduleCall(call, origin, isNew); break;
      case 'global': this.fact(call, globalFact(origin.path), `${calleeText(call)}()`); break;
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
    const match = findModule(origin.specifier);
    const moduleName = match?.name ?? origin.specifier.replace(/^node:/, '');
    const text = calleeText(call);
    const label = text.includes(moduleName) ? `${text}()` : `${text}() (${moduleName})`;
    if (match) { this.fact(call, moduleFact(match.facts, origin.path, isNew), label, match.facts.isolate); return; }
    if (!isNew && isAwaited(call)) {
      // Said as the user reads it: an awaited call into a package counts as a wait, and we say we did not look inside.
      const where = text.includes(moduleName) ? `${text}()` : `${text}() in ${moduleName}`;
      this.add({ effect: 'io', node: call, assumed: true, message: `waits on ${where} — source not followed` });
    }
  }

  private fact(call: Call, fact: ApiFact | undefined, label: string, isolate?: boolean): void {
    if (!fact || fact.effect === 'neutral') return;
    this.add({ effect: fact.effect, node: call, label, message: `${label} ${fact.why}`, replacement: fact.replacement, isolate });
  }

  private helperCall(call: Call, target: FunctionLike, loops: number): void {
    if (this.summarizer.isActive(target)) {
      // Recursion: CPU work proportional to the input, unless each step waits.
      if (!isAsync(target) && !containsAwait(target)) {
        this.add({ effect: 'cpu-blocking', node: call, message: `recursive call to ${describeFunction(target)}: CPU work that grows with the input, on the event loop` });
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
    if (sub.loops) {
      this.summary.loops = true;
      if (loops > 0 && !containsAwait(target)) {
        this.add({ effect: 'cpu-blocking', node: call, message: `calls ${describeFunction(target)}, which loops, inside a loop: the work multiplies and blocks the event loop` });
      }
    }
  }
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
function bigBound(condition: Node | undefined): number | undefined {
  if (!condition || !Node.isBinaryExpression(condition)) return undefined;
  const right = unwrap(condition.getRight());
  const value = Node.isNumericLiteral(right) ? right.getLiteralValue() : undefined;
  return value !== undefined && value >= BIG_LOOP_BOUND ? value : undefined;
}

/** An await (or for-await) in `node`, not counting nested functions. */
function containsAwait(node: Node): boolean {
  let found = false;
  const visit = (child: Node): void => {
    if (found) return;
    if (Node.isAwaitExpression(child) || (Node.isForOfStatement(child) && child.isAwaited())) { found = true; return; }
    if (isFunctionLike(child) && child !== node) return;
    child.forEachChild(visit);
  };
  if (isFunctionLike(node)) { const body = node.getBody(); if (body) visit(body); } else visit(node);
  return found;
}

function isAsync(fn: FunctionLike): boolean {
  return 'isAsync' in fn && typeof fn.isAsync === 'function' && fn.isAsync();
}

/** How the code names what it calls, shortened: `sheet.addRows`, `new Pool`. */
function calleeText(call: Call): string {
  const callee = Node.isTaggedTemplateExpression(call) ? call.getTag() : call.getExpression();
  const text = callee.getText().replace(/\s+/g, '');
  const short = text.length > 50 ? `…${text.slice(-49)}` : text;
  return Node.isNewExpression(call) ? `new ${short}` : short;
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

/** The call's value is waited for: awaited, returned, or handed to Promise.all and friends. */
function isAwaited(call: Node): boolean {
  for (let node = call.getParent(); node; node = node.getParent()) {
    if (Node.isAwaitExpression(node) || Node.isReturnStatement(node)) return true;
    if (Node.isArrowFunction(node)) return node.isAsync() || node.getBody() === call;
    if (Node.isStatement(node) || isFunctionLike(node)) return false;
  }
  return false;
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
