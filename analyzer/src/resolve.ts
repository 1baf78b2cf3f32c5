// Where an expression comes from, found syntactically: through local scopes, imports, re-exports,
// CommonJS exports, object literals, class members and type annotations. No type checker: it works
// without node_modules and an edit costs one re-parse; a call into a package is known by its import
// specifier (the knowledge tables say what it does).
import {
  Node, SyntaxKind,
  type ArrowFunction, type ClassDeclaration, type ClassExpression, type ConstructorDeclaration, type EnumDeclaration, type Expression,
  type FunctionDeclaration, type FunctionExpression, type GetAccessorDeclaration, type MethodDeclaration,
  type ObjectLiteralExpression, type ParameterDeclaration, type TypeNode, type VariableDeclaration,
} from 'ts-morph';
import { compiledParameterDecorators, compiledParameterType } from './decorators.ts';
import { NEST, nestQueuePackage } from './knowledge/frameworks.ts';
import { BUNDLED_MODULE_HELPERS, EXPORT_GETTERS_HELPERS, EXPORT_STAR_HELPERS, INTEROP_HELPERS } from './knowledge/interop.ts';
import type { TypeOrigins } from './type-origins.ts';
import type { FileEntry, Workspace } from './workspace.ts';

export type FunctionLike =
  | FunctionDeclaration | FunctionExpression | ArrowFunction | MethodDeclaration | ConstructorDeclaration | GetAccessorDeclaration;
type ClassLike = ClassDeclaration | ClassExpression;

export type Origin =
  /** Code in the workspace we can walk into. */
  | { kind: 'function'; node: FunctionLike }
  | { kind: 'class'; node: ClassLike }
  | { kind: 'instance'; node: ClassLike }
  /** Something reached through a package or builtin: `fs` + ["promises", "readFile"]. `unfollowed`:
   *  the workspace's own code (a workspace package, a path alias) whose source was not found. */
  | { kind: 'module'; specifier: string; path: string[]; unfollowed?: boolean }
  /** Something reached through a global: `JSON` + ["parse"]. */
  | { kind: 'global'; path: string[] }
  /** A workspace module as a whole (`import * as m`). */
  | { kind: 'file'; path: string }
  | { kind: 'object'; node: ObjectLiteralExpression }
  /** A literal or other plain value (strings, numbers, templates). */
  | { kind: 'value'; node: Expression }
  /** A TypeScript enum, as written or as tsc compiles it (the function that fills it): its members are values. */
  | { kind: 'enum'; node: EnumDeclaration | FunctionExpression };

/** Array methods that run their callback once per element: a loop in disguise, over plain data. */
export const ITERATING_METHODS = new Set(['map', 'forEach', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap', 'sort']);

/** Hops allowed while chasing one expression: ends alias cycles (`const a = b, b = a`, `export *` loops). */
const MAX_HOPS = 24;

export function isFunctionLike(node: Node): node is FunctionLike {
  return Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isArrowFunction(node)
    || Node.isMethodDeclaration(node) || Node.isConstructorDeclaration(node) || Node.isGetAccessorDeclaration(node);
}

export class Resolver {
  /** Sets collecting the files resolution reads, innermost last: a walk must be redone when one changes. */
  private readonly readers: Array<Set<string>> = [];

  constructor(private readonly workspace: Workspace, private readonly types?: TypeOrigins) {}

  /** Where `node`'s value comes from according to its type (node_modules installed), as a package. */
  fromType(node: Node): Extract<Origin, { kind: 'module' }> | undefined {
    const name = this.types?.packageOf(node);
    return name ? { kind: 'module', specifier: name, path: [] } : undefined;
  }

  /** Processors found by discovery, by the queue package whose Job their first parameter is. */
  private readonly processors = new WeakMap<Node, string>();

  /** `handler` is a processor of `jobPackage`: its untyped first parameter is that package's Job. */
  markJobParameter(handler: FunctionLike, jobPackage: string): void {
    this.processors.set(handler, jobPackage);
  }

  private jobParameter(param: ParameterDeclaration): Origin | undefined {
    const fn = param.getParent();
    const jobPackage = this.processors.get(fn);
    return jobPackage && isFunctionLike(fn) && fn.getParameters()[0] === param ? { kind: 'module', specifier: jobPackage, path: ['Job'] } : undefined;
  }

  /** Runs `fn`, adding every workspace file resolution reads meanwhile to `files`. */
  tracking<T>(files: Set<string>, fn: () => T): T {
    this.readers.push(files);
    try {
      return fn();
    } finally {
      this.readers.pop();
    }
  }

  /** The origin of an expression, or undefined when it cannot be traced. */
  resolve(expr: Node, hops = 0): Origin | undefined {
    if (hops > MAX_HOPS) return undefined;
    const node = unwrap(expr);
    if (Node.isIdentifier(node)) return this.resolveName(node.getText(), node, hops + 1);
    if (node.getKind() === SyntaxKind.ThisKeyword) {
      const cls = node.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a)) as ClassLike | undefined;
      return cls ? { kind: 'instance', node: cls } : undefined;
    }
    if (Node.isPropertyAccessExpression(node)) {
      return this.member(this.resolve(node.getExpression(), hops + 1), node.getName(), hops + 1);
    }
    if (Node.isElementAccessExpression(node)) {
      const key = node.getArgumentExpression();
      if (key && (Node.isStringLiteral(key) || Node.isNoSubstitutionTemplateLiteral(key))) {
        return this.member(this.resolve(node.getExpression(), hops + 1), key.getLiteralValue(), hops + 1);
      }
      return undefined;
    }
    if (Node.isCallExpression(node)) return this.resolveCallResult(node, hops + 1);
    if (Node.isNewExpression(node)) {
      const callee = this.asValue(this.resolve(node.getExpression(), hops + 1), hops + 1);
      if (callee?.kind === 'class') return { kind: 'instance', node: callee.node };
      return callee?.kind === 'module' || callee?.kind === 'global' ? callee : undefined;
    }
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { kind: 'function', node };
    if (Node.isClassExpression(node)) return { kind: 'class', node };
    if (Node.isObjectLiteralExpression(node)) return { kind: 'object', node };
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node)
      || Node.isNumericLiteral(node) || Node.isBinaryExpression(node) || Node.isArrayLiteralExpression(node)
      || node.getKind() === SyntaxKind.TrueKeyword || node.getKind() === SyntaxKind.FalseKeyword) {
      return { kind: 'value', node: node as Expression };
    }
    return undefined;
  }

  /** A name as seen from `from`: local declarations, then the file's imports, then globals. */
  resolveName(name: string, from: Node, hops: number): Origin | undefined {
    if (hops > MAX_HOPS) return undefined;
    const decl = findDeclaration(name, from);
    if (!decl) {
      const binding = this.workspace.get(from.getSourceFile().getFilePath())?.imports.get(name);
      if (binding) return this.resolveImport(from.getSourceFile().getFilePath(), binding.specifier, binding.name, hops + 1);
      if (name === 'undefined') return undefined;
      // CommonJS code reading its own exports (`exports.QUEUE` after `exports.QUEUE = 'billing'`).
      if (name === 'exports') return { kind: 'file', path: from.getSourceFile().getFilePath() };
      return { kind: 'global', path: [name] };
    }
    return this.resolveDeclaration(decl, hops + 1);
  }

  /** What a module specifier's export `name` ("default", "*" or a name) is, seen from `fromFile`. */
  resolveImport(fromFile: string, specifier: string, name: string, hops: number): Origin | undefined {
    const target = this.workspace.resolveModule(fromFile, specifier);
    if (!target) {
      const path = name === 'default' || name === '*' ? [] : [name];
      return this.workspace.isInternal(fromFile, specifier) ? { kind: 'module', specifier, path, unfollowed: true } : { kind: 'module', specifier, path };
    }
    if (!this.workspace.has(target) && !this.workspace.set(target, undefined)) return undefined;
    this.readers.at(-1)?.add(target);
    if (name === '*') return { kind: 'file', path: target };
    return this.resolveExport(target, name, hops + 1);
  }

  /** A workspace file's export `name`, through re-exports and CommonJS assignments. */
  resolveExport(file: string, name: string, hops: number): Origin | undefined {
    if (hops > MAX_HOPS) return undefined;
    const entry = this.workspace.get(file);
    if (!entry) return undefined;
    const table = exportsOf(entry);
    const target = table.named.get(name);
    if (target) {
      switch (target.kind) {
        case 'declaration': return this.resolveDeclaration(target.node, hops + 1);
        case 'expression': return this.resolve(target.node, hops + 1);
        case 'local': return this.resolveName(target.name, target.at, hops + 1);
        case 'import': return this.resolveImport(file, target.specifier, target.name, hops + 1);
      }
    }
    if (table.commonJs) {
      const value = this.resolve(table.commonJs, hops + 1);
      return name === 'default' || name === '*' ? value : this.member(value, name, hops + 1);
    }
    // `export *` sources are searched in order; only the one that has the name counts as read, or
    // every task reaching through a barrel would depend on every file behind it.
    for (const specifier of table.stars) {
      const reads = new Set<string>();
      const found = this.tracking(reads, () => this.resolveImport(file, specifier, name, hops + 1));
      if (found) {
        for (const read of reads) this.readers.at(-1)?.add(read);
        return found;
      }
    }
    return undefined;
  }

  /** A whole module used as a value (`new (require('./Mailer'))()`, `require('./run')()`): what it exports as a whole. */
  asValue(origin: Origin | undefined, hops = 0): Origin | undefined {
    return origin?.kind === 'file' ? this.resolveExport(origin.path, 'default', hops + 1) : origin;
  }

  /** `base.name`. */
  member(base: Origin | undefined, name: string, hops: number): Origin | undefined {
    if (!base || hops > MAX_HOPS) return undefined;
    switch (base.kind) {
      case 'module': return { ...base, path: [...base.path, name] };
      case 'global': return { kind: 'global', path: [...base.path, name] };
      case 'file': return this.resolveExport(base.path, name, hops + 1);
      case 'object': {
        const prop = base.node.getProperty(name);
        if (!prop) {
          // `{ sequelize, ...sequelize.models }`: a name not written out comes from a spread, the last first.
          for (const spread of base.node.getProperties().filter(Node.isSpreadAssignment).reverse()) {
            const found = this.member(this.resolve(spread.getExpression(), hops + 1), name, hops + 1);
            if (found) return found;
          }
          return undefined;
        }
        if (Node.isPropertyAssignment(prop)) {
          const init = prop.getInitializer();
          return init ? this.resolve(init, hops + 1) : undefined;
        }
        if (Node.isShorthandPropertyAssignment(prop)) return this.resolveName(name, prop, hops + 1);
        if (Node.isMethodDeclaration(prop)) return { kind: 'function', node: prop };
        return undefined;
      }
      case 'class': return this.classMember(base.node, name, true, hops + 1);
      case 'instance': return this.classMember(base.node, name, false, hops + 1);
      case 'enum': {
        const init = Node.isEnumDeclaration(base.node) ? base.node.getMember(name)?.getInitializer() : compiledEnumMember(base.node, name);
        return init ? this.resolve(init, hops + 1) : undefined;
      }
      case 'function':
        // fn.call(...), fn.apply(...), fn.bind(...) still run fn.
        return ['call', 'apply', 'bind'].includes(name) ? base : undefined;
      default: return undefined;
    }
  }

  private classMember(cls: ClassLike, name: string, isStatic: boolean, hops: number): Origin | undefined {
    for (let current: ClassLike | undefined = cls, i = 0; current && i < 8; i++) {
      for (const member of current.getMembers()) {
        if (!('getName' in member) || (member as { getName(): string }).getName() !== name) continue;
        const memberIsStatic = 'isStatic' in member && (member as { isStatic(): boolean }).isStatic();
        if (memberIsStatic !== isStatic) continue;
        if (Node.isMethodDeclaration(member) || Node.isGetAccessorDeclaration(member)) return { kind: 'function', node: member };
        if (Node.isPropertyDeclaration(member)) {
          const init = member.getInitializer();
          // `= null` / `= undefined` only holds the place of what the constructor assigns.
          if (init && !isNothing(init)) return this.resolve(init, hops + 1);
          // Declared without a value: its type, else what a method assigns to it (below).
          const type = member.getTypeNode();
          const typed = type && this.resolveType(type, hops + 1);
          if (typed) return typed;
        }
      }
      if (!isStatic) {
        const ctor = current.getConstructors()[0];
        for (const param of ctor?.getParameters() ?? []) {
          if (param.isParameterProperty() && param.getName() === name) {
            const type = param.getTypeNode();
            return type ? this.resolveType(type, hops + 1) : undefined;
          }
        }
        // this.name = value, in the constructor, else in a method (`init() { this.processor = … }`)
        for (const method of [...(ctor ? [ctor] : []), ...current.getInstanceMethods()]) {
          for (const statement of method.getStatements()) {
            if (!Node.isExpressionStatement(statement)) continue;
            // SWC joins a constructor's assignments with commas: `super(), this.pdf = pdf;`
            for (const expr of commaOperands(statement.getExpression())) {
              if (!Node.isBinaryExpression(expr) || expr.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
              const left = expr.getLeft();
              if (Node.isPropertyAccessExpression(left) && left.getExpression().getKind() === SyntaxKind.ThisKeyword && left.getName() === name) {
                return this.resolve(expr.getRight(), hops + 1);
              }
            }
          }
        }
      }
      const base: Node | undefined = current.getExtends()?.getExpression();
      const resolved: Origin | undefined = base ? this.resolve(base, hops + 1) : undefined;
      // `class User extends Model` (objection), `class Jobs extends Queue`: an inherited member is the package's.
      if (resolved?.kind === 'module') return this.member(resolved, name, hops + 1);
      current = resolved?.kind === 'class' ? resolved.node : undefined;
    }
    return undefined;
  }

  /** A value's origin from its declared type: `db: Pool` with Pool imported from pg is a pg client. */
  resolveType(type: TypeNode, hops: number): Origin | undefined {
    if (Node.isTypeReference(type)) {
      const typeName = type.getTypeName();
      const args = type.getTypeArguments();
      if (typeName.getText() === 'Promise' && args[0]) return this.resolveType(args[0], hops + 1);
      const first = Node.isIdentifier(typeName) ? typeName : typeName.getFirstDescendantByKind(SyntaxKind.Identifier);
      if (!first) return undefined;
      let origin = this.resolveName(first.getText(), type, hops + 1);
      if (Node.isQualifiedName(typeName)) origin = this.member(origin, typeName.getRight().getText(), hops + 1);
      if (origin?.kind === 'class') return { kind: 'instance', node: origin.node };
      return origin?.kind === 'module' ? origin : undefined;
    }
    if (Node.isUnionTypeNode(type)) {
      for (const member of type.getTypeNodes()) {
        const origin = this.resolveType(member, hops + 1);
        if (origin) return origin;
      }
    }
    return undefined;
  }

  private resolveDeclaration(decl: Node, hops: number): Origin | undefined {
    if (Node.isFunctionDeclaration(decl) || isFunctionLike(decl)) return { kind: 'function', node: decl as FunctionLike };
    if (Node.isClassDeclaration(decl)) return { kind: 'class', node: decl };
    if (Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      if (init) return this.resolve(init, hops + 1);
      const type = decl.getTypeNode();
      const filler = compiledEnum(decl);
      if (filler) return { kind: 'enum', node: filler };
      return (type && this.resolveType(type, hops + 1)) ?? this.assignedLater(decl, hops + 1);
    }
    if (Node.isParameterDeclaration(decl)) {
      const type = decl.getTypeNode();
      if (type) return this.resolveType(type, hops + 1);
      return this.jobParameter(decl) ?? this.compiledInjection(decl, hops + 1) ?? this.callbackParameter(decl, hops + 1);
    }
    if (Node.isEnumDeclaration(decl)) return { kind: 'enum', node: decl };
    if (Node.isBindingElement(decl)) {
      // const { readFileSync } = require('fs'); const { a: b } = obj;
      const pattern = decl.getParent();
      const holder = pattern.getParent();
      const key = decl.getPropertyNameNode()?.getText() ?? decl.getName();
      if (Node.isVariableDeclaration(holder)) {
        const init = holder.getInitializer();
        return init ? this.member(this.resolve(init, hops + 1), key, hops + 1) : undefined;
      }
      return undefined;
    }
    return undefined;
  }

  /**
   * `let send; if (key) send = async (m) => …; else send = …`: the first function assigned in the
   * variable's scope stands for it (the branches pick one implementation). Only functions: compiled
   * temporaries (`var _a; (_a = job.id) …`) hold passing values, not the code a call runs.
   */
  private assignedLater(decl: VariableDeclaration, hops: number): Origin | undefined {
    const name = decl.getName();
    const scope = decl.getVariableStatement()?.getParent();
    if (!scope) return undefined;
    for (const assignment of scope.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = assignment.getLeft();
      if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken || !Node.isIdentifier(left) || left.getText() !== name
        || findDeclaration(name, left) !== decl) continue;
      const origin = this.resolve(assignment.getRight(), hops + 1);
      if (origin?.kind === 'function') return origin;
    }
    return undefined;
  }

  /**
   * A compiled class's constructor parameter (an injected service): its type survives in the
   * class's design:paramtypes metadata, an instance of that class or package.
   */
  private compiledInjection(param: ParameterDeclaration, hops: number): Origin | undefined {
    const ctor = param.getParent();
    const cls = ctor.getParent();
    if (!Node.isConstructorDeclaration(ctor) || !(Node.isClassDeclaration(cls) || Node.isClassExpression(cls))) return undefined;
    const index = ctor.getParameters().indexOf(param);
    // @InjectQueue('q') hands in the queue whatever the declared type (often an erased interface).
    for (const decorator of compiledParameterDecorators(cls, index)) {
      const origin = this.resolve(decorator.expression, hops + 1);
      const queuePackage = origin?.kind === 'module' && origin.path.at(-1) === NEST.injectQueue ? nestQueuePackage(origin.specifier) : undefined;
      if (queuePackage) return { kind: 'module', specifier: queuePackage, path: ['Queue'] };
    }
    const type = compiledParameterType(cls, index);
    const origin = type && this.resolve(type, hops + 1);
    if (origin?.kind === 'class') return { kind: 'instance', node: origin.node };
    return origin?.kind === 'module' ? origin : undefined;
  }

  /**
   * A callback's parameter handed over by a package: what `prisma.$transaction(async (tx) => …)`,
   * `pool.connect().then((client) => …)` or `redis.multi().exec((err, r) => …)` pass in belongs
   * to the same package (a transaction, a pooled client).
   */
  private callbackParameter(param: Node, hops: number): Origin | undefined {
    const fn = param.getParent();
    const call = fn?.getParent();
    if (!fn || !call || !Node.isCallExpression(call) || !call.getArguments().includes(fn)) return undefined;
    const callee = call.getExpression();
    // rows.map((row) => …): the row is data, not the package's.
    if (Node.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(callee.getName())) return undefined;
    const origin = this.resolve(Node.isPropertyAccessExpression(callee) && callee.getName() === 'then' ? callee.getExpression() : callee, hops + 1);
    return origin?.kind === 'module' ? { kind: 'module', specifier: origin.specifier, path: [] } : undefined;
  }

  private resolveCallResult(call: Node & { getExpression(): Node; getArguments(): Node[] }, hops: number): Origin | undefined {
    const calleeNode = unwrap(call.getExpression());
    const args = call.getArguments();
    const firstArg = args[0];
    if (calleeNode.getKind() === SyntaxKind.ImportKeyword || (Node.isIdentifier(calleeNode) && calleeNode.getText() === 'require' && !findDeclaration('require', calleeNode))) {
      if (firstArg && (Node.isStringLiteral(firstArg) || Node.isNoSubstitutionTemplateLiteral(firstArg))) {
        return this.resolveImport(call.getSourceFile().getFilePath(), firstArg.getLiteralValue(), '*', hops + 1);
      }
      return undefined;
    }
    // __importDefault(require('x')), __toESM(require('x')): the module itself.
    const helper = Node.isPropertyAccessExpression(calleeNode) ? calleeNode.getName() : calleeNode.getText();
    if (INTEROP_HELPERS.has(helper) && firstArg) return this.resolve(firstArg, hops + 1);
    if (BUNDLED_MODULE_HELPERS.has(helper) && firstArg) return bundledPackage(firstArg);
    // p.then(() => require('bull')), as tsc compiles `await import('bull')`: what the callback returns.
    if (helper === 'then' && firstArg && Node.isArrowFunction(firstArg) && !Node.isBlock(firstArg.getBody())) return this.resolve(firstArg.getBody(), hops + 1);
    // fn.bind(thisArg) is fn, not what fn returns.
    if (helper === 'bind' && Node.isPropertyAccessExpression(calleeNode)) {
      const bound = this.resolve(calleeNode.getExpression(), hops + 1);
      if (bound?.kind === 'function') return bound;
    }
    const callee = this.asValue(this.resolve(calleeNode, hops + 1), hops + 1);
    if (!callee) return undefined;
    if (callee.kind === 'module') {
      // promisify(exec) is exec, awaited.
      if (callee.path.at(-1) === 'promisify' && firstArg) return this.resolve(firstArg, hops + 1);
      return callee;
    }
    if (callee.kind === 'global') return callee;
    if (callee.kind === 'function') {
      // A factory: what it returns (the first traceable return).
      const fn = callee.node;
      const body = fn.getBody();
      if (!body) return undefined;
      if (!Node.isBlock(body)) return this.resolve(body, hops + 1);
      for (const ret of body.getDescendantsOfKind(SyntaxKind.ReturnStatement)) {
        if (ret.getFirstAncestor(isFunctionLike) !== fn) continue;
        const value = ret.getExpression();
        const origin = value ? this.resolve(value, hops + 1) : undefined;
        if (origin) return origin;
      }
    }
    return undefined;
  }
}

/** The package a bundler's module wrapper holds, from its key: "node_modules/@scope/pkg/lib/x.js" → "@scope/pkg". */
function bundledPackage(wrapped: Node): Origin | undefined {
  const key = Node.isObjectLiteralExpression(wrapped) ? wrapped.getProperties()[0] : undefined;
  const name = key && (Node.isMethodDeclaration(key) || Node.isPropertyAssignment(key)) ? key.getNameNode() : undefined;
  const match = name && Node.isStringLiteral(name) ? /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name.getLiteralValue()) : null;
  return match ? { kind: 'module', specifier: match[1], path: [] } : undefined;
}

/** `null` or `undefined`, written as a value. */
function isNothing(node: Node): boolean {
  const value = unwrap(node);
  return value.getKind() === SyntaxKind.NullKeyword || (Node.isIdentifier(value) && value.getText() === 'undefined');
}

/**
 * tsc's enum: `var E; (function (E) { E["A"] = "a"; E[E["B"] = 1] = "B"; })(E || (exports.E = E = {}));`.
 * The function that fills the variable, when `decl` is one.
 */
function compiledEnum(decl: VariableDeclaration): FunctionExpression | undefined {
  const name = decl.getName();
  const statement = decl.getVariableStatement();
  for (const next of statement?.getNextSiblings().slice(0, 2) ?? []) {
    const call = Node.isExpressionStatement(next) ? unwrap(next.getExpression()) : undefined;
    const fn = call && Node.isCallExpression(call) ? unwrap(call.getExpression()) : undefined;
    const [arg] = call && Node.isCallExpression(call) ? call.getArguments() : [];
    const text = arg?.getText() ?? '';
    if (fn && Node.isFunctionExpression(fn) && fn.getParameters().length === 1 && text.startsWith(name) && !/[\w$]/.test(text[name.length] ?? '')) return fn;
  }
  return undefined;
}

/** The names a compiled enum's call exports: `exports.E` in `(function (E) {…})(E || (exports.E = E = {}))`. */
function enumExports(expr: Node): string[] {
  const call = unwrap(expr);
  if (!Node.isCallExpression(call) || !Node.isFunctionExpression(unwrap(call.getExpression()))) return [];
  const [arg] = call.getArguments();
  return (arg?.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression) ?? [])
    .filter((access) => access.getExpression().getText() === 'exports' && Node.isBinaryExpression(access.getParent())
      && (access.getParent() as Node & { getLeft(): Node }).getLeft() === access)
    .map((access) => access.getName());
}

/** The value a compiled enum's function gives member `name`: `E["A"] = "a"` or `E[E["B"] = 1] = "B"`. */
function compiledEnumMember(fn: FunctionExpression, name: string): Node | undefined {
  const param = fn.getParameters()[0]?.getName();
  for (const assignment of fn.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const left = assignment.getLeft();
    if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken || !Node.isElementAccessExpression(left) || left.getExpression().getText() !== param) continue;
    const key = left.getArgumentExpression();
    if (key && Node.isStringLiteral(key) && key.getLiteralValue() === name) return assignment.getRight();
  }
  return undefined;
}

/** `a, b, c` as [a, b, c]; any other expression as itself. */
function commaOperands(expr: Node): Node[] {
  return Node.isBinaryExpression(expr) && expr.getOperatorToken().getKind() === SyntaxKind.CommaToken
    ? [...commaOperands(expr.getLeft()), expr.getRight()] : [expr];
}

/** Strips parentheses, `as`, `!`, `satisfies`, `await` and comma operands: they do not change where a value comes from. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current)
      || Node.isTypeAssertion(current) || Node.isSatisfiesExpression(current) || Node.isAwaitExpression(current)) {
      current = current.getExpression();
    } else if (Node.isBinaryExpression(current) && current.getOperatorToken().getKind() === SyntaxKind.CommaToken) {
      // `(0, mod_1.fn)`, as compilers write a call without `this`: the value is the last operand.
      current = current.getRight();
    } else return current;
  }
}

function isExported(statement: Node): boolean {
  return Node.isModifierable(statement) && statement.hasModifier(SyntaxKind.ExportKeyword);
}

type ExportTarget =
  | { kind: 'declaration'; node: Node }
  | { kind: 'expression'; node: Node }
  | { kind: 'local'; name: string; at: Node }
  | { kind: 'import'; specifier: string; name: string };

interface ExportTable {
  named: Map<string, ExportTarget>;
  /** `export * from '…'` specifiers, in order. */
  stars: string[];
  /** `module.exports = v` / `export = v`: v stands for the whole module. */
  commonJs?: Node;
}

// Per parse of a file (an edit makes a new FileEntry): resolution through a barrel is a map lookup.
const exportTables = new WeakMap<FileEntry, ExportTable>();

function exportsOf(entry: FileEntry): ExportTable {
  const cached = exportTables.get(entry);
  if (cached) return cached;
  const table: ExportTable = { named: new Map(), stars: [] };
  const add = (name: string, target: ExportTarget): void => { if (!table.named.has(name)) table.named.set(name, target); };
  for (const statement of entry.sourceFile.getStatements()) {
    if (Node.isExportAssignment(statement)) {
      if (statement.isExportEquals()) table.commonJs ??= statement.getExpression();
      else add('default', { kind: 'expression', node: statement.getExpression() });
    } else if (Node.isExportDeclaration(statement)) {
      const specifier = statement.getModuleSpecifierValue();
      const namespaceExport = statement.getNamespaceExport();
      if (namespaceExport && specifier) { add(namespaceExport.getName(), { kind: 'import', specifier, name: '*' }); continue; }
      const named = statement.getNamedExports();
      if (!named.length && specifier) { table.stars.push(specifier); continue; }
      for (const spec of named) {
        const exported = spec.getAliasNode()?.getText() ?? spec.getName();
        add(exported, specifier ? { kind: 'import', specifier, name: spec.getName() } : { kind: 'local', name: spec.getName(), at: statement });
      }
    } else if (isExported(statement)) {
      if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)) {
        const name = statement.hasModifier(SyntaxKind.DefaultKeyword) ? 'default' : statement.getName();
        if (name) add(name, { kind: 'declaration', node: statement });
      } else if (Node.isVariableStatement(statement)) {
        for (const decl of statement.getDeclarations()) add(decl.getName(), { kind: 'declaration', node: decl });
      } else if (Node.isEnumDeclaration(statement)) {
        add(statement.getName(), { kind: 'declaration', node: statement });
      }
    } else if (Node.isExpressionStatement(statement)) {
      const expr = statement.getExpression();
      const star = compiledExportStar(expr);
      if (star) { table.stars.push(star); continue; }
      const commonJs = commonJsExport(expr);
      for (const cjs of commonJs ? [commonJs] : exportGetters(expr)) {
        if (cjs.name === 'default') table.commonJs ??= cjs.value;
        else add(cjs.name, { kind: 'expression', node: cjs.value });
      }
      // A compiled enum exports itself from its filler's argument: `(E || (exports.E = E = {}))`.
      for (const name of enumExports(expr)) add(name, { kind: 'local', name, at: statement });
    }
  }
  exportTables.set(entry, table);
  return table;
}

/** `module.exports = v` → default; `module.exports.x = v` / `exports.x = v` → x. */
function commonJsExport(expr: Node): { name: string; value: Node } | undefined {
  if (!Node.isBinaryExpression(expr) || expr.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  const left = expr.getLeft().getText().replace(/\s+/g, '');
  // `exports.a = exports.b = v`: each name is v. `void 0` is tsc declaring the names before the
  // code assigns them: not a value.
  let value = expr.getRight();
  while (Node.isBinaryExpression(value) && value.getOperatorToken().getKind() === SyntaxKind.EqualsToken) value = value.getRight();
  if (Node.isVoidExpression(value)) return undefined;
  if (left === 'module.exports') return { name: 'default', value };
  const match = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
  return match ? { name: match[1], value } : undefined;
}

/** `__exportStar(require("./db"), exports)`, as tsc compiles `export * from './db'`: the specifier. */
function compiledExportStar(expr: Node): string | undefined {
  if (!Node.isCallExpression(expr)) return undefined;
  const callee = expr.getExpression();
  const helper = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  if (!EXPORT_STAR_HELPERS.has(helper)) return undefined;
  for (const arg of expr.getArguments()) {
    const [specifier] = Node.isCallExpression(arg) && arg.getExpression().getText() === 'require' ? arg.getArguments() : [];
    if (specifier && Node.isStringLiteral(specifier)) return specifier.getLiteralValue();
  }
  return undefined;
}

/**
 * `Object.defineProperty(exports, "x", { enumerable: true, get: function () { return m_1.x; } })`,
 * as tsc compiles `export { x } from './m'`, and SWC's `_export(exports, { x: function() { return x; } })`:
 * each name is what its getter returns.
 */
function exportGetters(expr: Node): Array<{ name: string; value: Node }> {
  if (!Node.isCallExpression(expr)) return [];
  const callee = expr.getExpression().getText();
  if (callee === 'Object.defineProperty') {
    const [target, key, descriptor] = expr.getArguments();
    if (target?.getText() !== 'exports' || !key || !Node.isStringLiteral(key) || !descriptor || !Node.isObjectLiteralExpression(descriptor)) return [];
    const returned = getterValue(descriptor.getProperty('get'));
    return returned ? [{ name: key.getLiteralValue(), value: returned }] : [];
  }
  const [target, getters] = expr.getArguments();
  if (!EXPORT_GETTERS_HELPERS.has(callee) || target?.getText() !== 'exports' || !getters || !Node.isObjectLiteralExpression(getters)) return [];
  return getters.getProperties().flatMap((property) => {
    const returned = getterValue(property);
    return returned && (Node.isPropertyAssignment(property) || Node.isMethodDeclaration(property))
      ? [{ name: property.getName().replace(/^['"]|['"]$/g, ''), value: returned }] : [];
  });
}

/** What a getter (`get: function () { return x; }`, `x() { return x; }`) returns. */
function getterValue(getter: Node | undefined): Node | undefined {
  const fn = getter && Node.isPropertyAssignment(getter) ? getter.getInitializer() : getter;
  const body = fn && (Node.isFunctionExpression(fn) || Node.isArrowFunction(fn) || Node.isMethodDeclaration(fn)) ? fn.getBody() : undefined;
  return body && Node.isBlock(body) ? body.getStatements().find(Node.isReturnStatement)?.getExpression() : body;
}

/** The declaration a name refers to at `from`, by walking the enclosing scopes outwards. */
export function findDeclaration(name: string, from: Node): Node | undefined {
  for (let scope: Node | undefined = from.getParent(); scope; scope = scope.getParent()) {
    if (isFunctionLike(scope)) {
      for (const param of scope.getParameters()) {
        const nameNode = param.getNameNode();
        if (Node.isIdentifier(nameNode)) { if (nameNode.getText() === name) return param; }
        else for (const element of nameNode.getElements()) {
          if (Node.isBindingElement(element) && element.getName() === name) return element;
        }
      }
      if (Node.isFunctionExpression(scope) && scope.getName() === name) return scope;
    }
    if (Node.isForStatement(scope) || Node.isForOfStatement(scope) || Node.isForInStatement(scope)) {
      const init = scope.getInitializer();
      if (init && Node.isVariableDeclarationList(init)) {
        const found = matchDeclarations(init.getDeclarations(), name);
        if (found) return found;
      }
    }
    if (Node.isCatchClause(scope)) {
      const variable = scope.getVariableDeclaration();
      if (variable?.getName() === name) return variable;
    }
    if (Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope) || Node.isCaseClause(scope) || Node.isDefaultClause(scope)) {
      for (const statement of scope.getStatements()) {
        if (Node.isVariableStatement(statement)) {
          const found = matchDeclarations(statement.getDeclarations(), name);
          if (found) return found;
        } else if ((Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement) || Node.isEnumDeclaration(statement)) && statement.getName() === name) {
          return statement;
        }
      }
    }
  }
  return undefined;
}

function matchDeclarations(decls: Node[], name: string): Node | undefined {
  for (const decl of decls) {
    if (!Node.isVariableDeclaration(decl)) continue;
    const nameNode = decl.getNameNode();
    if (Node.isIdentifier(nameNode)) { if (nameNode.getText() === name) return decl; continue; }
    for (const element of nameNode.getElements()) {
      if (Node.isBindingElement(element) && element.getName() === name) return element;
    }
  }
  return undefined;
}

export function filePathOf(node: Node): string {
  return node.getSourceFile().getFilePath();
}

