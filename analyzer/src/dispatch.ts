// A processor that dispatches on the job's name (`switch (job.name)`, `if (job.name === 'x')`,
// `handlers[job.name](job)`, a Map of handlers, `getProcessor(job.name).handle(job)`) runs a
// different task per name: each is judged on its own handler. Where the target cannot be
// followed, the processor's work is chosen at run time and the answer is unknown, with the call.
import { Node, SyntaxKind, type Expression, type ObjectLiteralExpression } from 'ts-morph';
import { JOB_NAME_PROPERTY } from './knowledge/frameworks.ts';
import { findModule } from './knowledge/index.ts';
import { findDeclaration, isFunctionLike, unwrap, type FunctionLike, type Resolver } from './resolve.ts';
import { stringValue } from './values.ts';

export interface Route {
  jobName: string;
  handler?: FunctionLike;
  /** Why the route's handler could not be followed. */
  unresolved?: string;
}

export type Dispatch = { routes: Route[] } | { unresolved: string };

/** `bind`: reads a factory's parameters as the arguments it was built with (`multiJobProcessor({ … })`). */
export function dispatchOf(handler: FunctionLike, resolver: Resolver, bind: (node: Node) => Node = (node) => node): Dispatch | undefined {
  const job = handler.getParameters()[0]?.getNameNode();
  if (!job || !Node.isIdentifier(job)) return undefined;
  const isJobName = (expr: Node | undefined): boolean => expr !== undefined && namesJob(unwrap(expr), job.getText());
  const own = handler.getDescendants().filter((node) => node.getFirstAncestor(isFunctionLike) === handler);
  const routes: Route[] = [];
  // The work an if-chain on the job's name leaves to every other name (`if (job.name === 'prune')
  // return …; return this.check(job)`): the route for '*', when it calls something to follow.
  let others: Route | undefined;
  // A branch that does its work inline (awaits, loops, calls a package) is part of one processor
  // that looks at the name on the way, not a dispatch: the processor stays one task.
  let inline = false;
  for (const node of own) {
    if (Node.isSwitchStatement(node) && isJobName(node.getExpression())) {
      let names: string[] = [];
      for (const clause of node.getClauses()) {
        if (Node.isCaseClause(clause)) names.push(stringValue(resolver, clause.getExpression()) ?? clause.getExpression().getText());
        if (!clause.getStatements().length) continue; // falls through to the next clause
        const target = firstHelper(clause, resolver);
        if (!target && doesWork(clause, resolver)) inline = true;
        for (const jobName of Node.isDefaultClause(clause) ? [...names, '*'] : names) routes.push(...route(jobName, target, clause, resolver));
        names = [];
      }
    } else if (Node.isIfStatement(node)) {
      const jobName = comparedName(node.getExpression(), isJobName, resolver);
      if (jobName === undefined) continue;
      const handler = firstHelper(node.getThenStatement(), resolver);
      if (!handler && doesWork(node.getThenStatement(), resolver)) inline = true;
      routes.push(...route(jobName, handler, node.getThenStatement(), resolver));
      const otherwise = node.getElseStatement();
      const isNameTest = (n: Node) => Node.isIfStatement(n) && comparedName(n.getExpression(), isJobName, resolver) !== undefined;
      // Later ifs on the name are routes of their own, not the rest.
      const rest = (otherwise ? [otherwise] : node.getNextSiblings()).filter((n) => !isNameTest(n));
      const target = firstHelper(rest, resolver);
      if (target) others = { jobName: '*', handler: target };
    } else if (Node.isCallExpression(node)) {
      const lookup = lookupOf(node, isJobName);
      if (!lookup) continue;
      const table = handlerTable(lookup.table && bind(lookup.table), resolver);
      // An empty table (`handlers = {}`) is filled at run time: as unknown as no table.
      if (!table?.length) return { unresolved: `the processor dispatches on ${job.getText()}.${JOB_NAME_PROPERTY} through \`${callText(node)}\`, which cannot be followed` };
      routes.push(...table);
    }
  }
  if (inline) return undefined;
  if (others && routes.length && !routes.some((r) => r.jobName === '*')) routes.push(others);
  return routes.length ? { routes } : undefined;
}

/** `job.name`, or a local holding it (`const name = job.name`, `const { name } = job`). */
function namesJob(node: Node, job: string): boolean {
  if (Node.isPropertyAccessExpression(node)) return node.getName() === JOB_NAME_PROPERTY && node.getExpression().getText() === job;
  if (!Node.isIdentifier(node)) return false;
  const decl = findDeclaration(node.getText(), node);
  if (decl && Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    return init !== undefined && Node.isPropertyAccessExpression(unwrap(init)) && namesJob(unwrap(init), job);
  }
  if (decl && Node.isBindingElement(decl)) {
    const holder = decl.getParent().getParent();
    const key = decl.getPropertyNameNode()?.getText() ?? decl.getName();
    return key === JOB_NAME_PROPERTY && Node.isVariableDeclaration(holder) && holder.getInitializer()?.getText() === job;
  }
  return false;
}

/** `job.name === 'x'` (either side, == too) → "x". */
function comparedName(expr: Node, isJobName: (n: Node) => boolean, resolver: Resolver): string | undefined {
  const node = unwrap(expr);
  if (!Node.isBinaryExpression(node)) return undefined;
  const op = node.getOperatorToken().getKind();
  if (op !== SyntaxKind.EqualsEqualsEqualsToken && op !== SyntaxKind.EqualsEqualsToken) return undefined;
  const [left, right] = [node.getLeft(), node.getRight()];
  if (isJobName(left)) return stringValue(resolver, right);
  if (isJobName(right)) return stringValue(resolver, left);
  return undefined;
}

/**
 * A branch's handler (or that of the statements after an if): the workspace function it awaits or returns (`return this.check(job)`,
 * `await this.notify.email(id)`), else the first it calls; a logger called first or a helper in a
 * condition is not the handler.
 */
function firstHelper(branches: Node | Node[], resolver: Resolver): FunctionLike | undefined {
  const calls = [branches].flat().flatMap((branch) => branch.getDescendantsOfKind(SyntaxKind.CallExpression));
  const helper = (call: Node & { getExpression(): Node }): FunctionLike | undefined => {
    const origin = resolver.resolve(call.getExpression());
    return origin?.kind === 'function' ? origin.node : undefined;
  };
  const waited = (call: Node): boolean => {
    let node = call;
    while (Node.isParenthesizedExpression(node.getParent()) || Node.isAwaitExpression(node.getParent())) node = node.getParentOrThrow();
    return node !== call || Node.isReturnStatement(node.getParent()) || (Node.isArrowFunction(node.getParent()) && (node.getParent() as Node & { getBody(): Node }).getBody() === node);
  };
  for (const call of calls.filter(waited)) {
    const found = helper(call);
    if (found) return found;
  }
  for (const call of calls) {
    const found = helper(call);
    if (found) return found;
  }
  return undefined;
}

/** A branch that waits, loops or calls into a package itself. */
function doesWork(branch: Node, resolver: Resolver): boolean {
  const packageWork = (call: Node & { getExpression(): Node }): boolean => {
    const origin = resolver.resolve(call.getExpression());
    // A logger or config read (known to do no work) is not the branch's work.
    return origin?.kind === 'module' && findModule(origin.specifier)?.facts.default?.effect !== 'neutral';
  };
  return branch.getDescendants().some((node) => Node.isAwaitExpression(node) || Node.isYieldExpression(node)
    || Node.isForStatement(node) || Node.isForOfStatement(node) || Node.isForInStatement(node) || Node.isWhileStatement(node) || Node.isDoStatement(node)
    || (Node.isCallExpression(node) && packageWork(node)));
}

/**
 * A branch's route: its helper; undecided when it calls what cannot be traced; none when it only
 * throws, logs or returns (`default: throw new Error('unknown job')` runs no task).
 */
function route(jobName: string, handler: FunctionLike | undefined, branch: Node, resolver: Resolver): Route[] {
  if (handler) return [{ jobName, handler }];
  const untraced = branch.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => resolver.resolve(call.getExpression()) === undefined);
  return untraced ? [{ jobName, unresolved: `the branch for job '${jobName}' (line ${branch.getStartLineNumber()}) calls nothing that can be followed` }] : [];
}

/** The call's value is itself called: `f(x)(job)`, `f(x).handle(job)`, `f(x)?.(job)`. */
function isCalled(call: Node): boolean {
  let value = call;
  while (Node.isNonNullExpression(value.getParent()) || Node.isParenthesizedExpression(value.getParent())) value = value.getParent()!;
  const parent = value.getParent();
  if (Node.isCallExpression(parent) && parent.getExpression() === value) return true;
  const grandparent = parent?.getParent();
  return Node.isPropertyAccessExpression(parent) && Node.isCallExpression(grandparent) && grandparent.getExpression() === parent;
}

/**
 * A handler looked up by job name and called: `table[job.name](job)` (the element access is the
 * callee) or `lookup(job.name)(job)` / `map.get(job.name).handle(job)` (the call's result is called).
 */
function lookupOf(call: Node & { getExpression(): Node; getArguments(): Node[] }, isJobName: (n: Node) => boolean): { table?: Node } | undefined {
  let callee = unwrap(call.getExpression());
  // const handler = handlers[job.name]; … handler(job)
  if (Node.isIdentifier(callee)) {
    const decl = findDeclaration(callee.getText(), callee);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    const looked = init && unwrap(init);
    if (looked && Node.isElementAccessExpression(looked)) callee = looked;
    else if (looked && Node.isCallExpression(looked)) {
      const getter = unwrap(looked.getExpression());
      if (Node.isPropertyAccessExpression(getter) && getter.getName() === 'get' && looked.getArguments().some(isJobName)) return { table: getter.getExpression() };
    }
  }
  if (Node.isElementAccessExpression(callee) && isJobName(callee.getArgumentExpressionOrThrow())) return { table: callee.getExpression() };
  if (!isCalled(call) || !call.getArguments().some(isJobName)) return undefined;
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'get' ? { table: callee.getExpression() } : {};
}

/** An object literal or a `new Map([[name, fn], …])` of handlers, as routes. */
function handlerTable(table: Node | undefined, resolver: Resolver): Route[] | undefined {
  if (!table) return undefined;
  const origin = resolver.resolve(table);
  if (origin?.kind === 'object') return objectRoutes(origin.node, resolver);
  const map = mapLiteral(table);
  if (!map) return undefined;
  const routes: Route[] = [];
  for (const pair of map) {
    if (!Node.isArrayLiteralExpression(pair)) return undefined;
    const [key, value] = pair.getElements();
    const jobName = key && stringValue(resolver, key);
    if (jobName === undefined || !value) return undefined;
    const target = resolver.asValue(resolver.resolve(value));
    routes.push(target?.kind === 'function' ? { jobName, handler: target.node } : { jobName, unresolved: `cannot follow the handler \`${value.getText().slice(0, 60)}\`` });
  }
  return routes;
}

function objectRoutes(object: ObjectLiteralExpression, resolver: Resolver): Route[] {
  return object.getProperties().flatMap((prop): Route[] => {
    if (!Node.isPropertyAssignment(prop) && !Node.isShorthandPropertyAssignment(prop) && !Node.isMethodDeclaration(prop)) return [];
    const jobName = prop.getName().replace(/^['"`]|['"`]$/g, '');
    const target = resolver.asValue(resolver.member({ kind: 'object', node: object }, jobName, 0));
    return [target?.kind === 'function' ? { jobName, handler: target.node } : { jobName, unresolved: `cannot follow the handler for job '${jobName}'` }];
  });
}

/** The entries of `new Map([...])` a name or `this.name` is initialised with. */
function mapLiteral(table: Node): Node[] | undefined {
  const node = unwrap(table);
  let init: Expression | undefined;
  if (Node.isIdentifier(node)) {
    const decl = findDeclaration(node.getText(), node);
    init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  } else if (Node.isPropertyAccessExpression(node) && node.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const cls = node.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
    init = cls?.getProperty(node.getName())?.getInitializer();
  }
  if (!init || !Node.isNewExpression(init) || init.getExpression().getText() !== 'Map') return undefined;
  const [entries] = init.getArguments();
  return entries && Node.isArrayLiteralExpression(entries) ? entries.getElements() : undefined;
}

function callText(call: Node): string {
  const parent = call.getParent()!;
  const whole = !isCalled(call) ? call : Node.isPropertyAccessExpression(parent) ? parent.getParent()! : parent;
  const text = whole.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
