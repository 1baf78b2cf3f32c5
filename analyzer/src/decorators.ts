// Decorators as written (`@Processor('q') class X`) and as tsc/tslib and SWC compile them
// (`X = __decorate([(0, bull_1.Processor)('q')], X)`, `__decorate([…], X.prototype, "m", null)`;
// SWC's helpers are _ts_decorate, _ts_metadata and _ts_param):
// NestJS processors published on npm are compiled, so discovery reads both forms. The compiled
// form also keeps the constructor's parameter types (`__metadata("design:paramtypes", [A, B])`),
// which is how a compiled class's injected services are followed.
import { Node, SyntaxKind, type ClassDeclaration, type ClassExpression, type Expression } from 'ts-morph';
import { unwrap } from './resolve.ts';

type ClassLike = ClassDeclaration | ClassExpression;

export interface DecoratorUse {
  /** What is applied: `Processor`, `bull_1.Processor`. */
  expression: Node;
  arguments: Node[];
}

const DECORATE_HELPER = /(^|\.)(__decorate|_ts_decorate)$/;
const PARAM_HELPER = /(^|\.)(__param|_ts_param)$/;
const PARAMTYPES = 'design:paramtypes';

/** The decorators on the class itself. */
export function classDecorators(cls: ClassLike): DecoratorUse[] {
  return [...cls.getDecorators().map(written), ...compiled(cls).filter((c) => c.member === undefined).flatMap((c) => c.uses)];
}

/** The decorators on one of the class's methods. */
export function methodDecorators(cls: ClassLike, method: Node & { getName(): string; getDecorators(): import('ts-morph').Decorator[] }): DecoratorUse[] {
  return [...method.getDecorators().map(written), ...compiled(cls).filter((c) => c.member === method.getName()).flatMap((c) => c.uses)];
}

/** The declared type of a compiled constructor's parameter `index`, from its design:paramtypes metadata. */
export function compiledParameterType(cls: ClassLike, index: number): Node | undefined {
  for (const use of compiled(cls).filter((c) => c.member === undefined).flatMap((c) => c.uses)) {
    const [key, types] = use.arguments;
    if (!key || !Node.isStringLiteral(key) || key.getLiteralValue() !== PARAMTYPES || !types || !Node.isArrayLiteralExpression(types)) continue;
    const type = types.getElements()[index];
    return type && typeExpression(type);
  }
  return undefined;
}

/** The decorators on a compiled constructor's parameter `index`: `__param(0, (0, bull_1.InjectQueue)('q'))`. */
export function compiledParameterDecorators(cls: ClassLike, index: number): DecoratorUse[] {
  return compiled(cls).filter((c) => c.member === undefined).flatMap((c) => c.uses).flatMap((u) => {
    const [position, decorator] = u.arguments;
    return PARAM_HELPER.test(u.expression.getText()) && position && Node.isNumericLiteral(position) && position.getLiteralValue() === index && decorator
      ? [use(decorator as Expression)] : [];
  });
}

/** Whether the file holds compiled decorators: a cheap test before looking for them. */
export function hasCompiledDecorators(text: string): boolean {
  return /_(_|ts_)decorate\(/.test(text);
}

function written(decorator: import('ts-morph').Decorator): DecoratorUse {
  return { expression: decorator.getCallExpression()?.getExpression() ?? decorator.getExpression(), arguments: decorator.getArguments() };
}

/** `__decorate([…], X)` (member undefined) and `__decorate([…], X.prototype, "m", …)` calls naming the class, in its scope. */
function compiled(cls: ClassLike): Array<{ member?: string; uses: DecoratorUse[] }> {
  const name = bindingName(cls);
  const scope = cls.getFirstAncestor((a) => Node.isSourceFile(a) || Node.isBlock(a) || Node.isModuleBlock(a));
  if (!name || !scope || !hasCompiledDecorators(cls.getSourceFile().compilerNode.text)) return [];
  const found: Array<{ member?: string; uses: DecoratorUse[] }> = [];
  for (const statement of (scope as Node & { getStatements(): Node[] }).getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    const call = decorateCall(statement.getExpression());
    if (!call) continue;
    const [list, target, key] = call.getArguments();
    if (!list || !Node.isArrayLiteralExpression(list) || !target) continue;
    let member: string | undefined;
    if (Node.isIdentifier(target) && target.getText() === name && !key) member = undefined;
    else if (Node.isPropertyAccessExpression(target) && target.getName() === 'prototype' && target.getExpression().getText() === name
      && key && Node.isStringLiteral(key)) member = key.getLiteralValue();
    else continue;
    found.push({ member, uses: list.getElements().map(use) });
  }
  return found;
}

/** The `__decorate(…)` call a statement makes, through `exports.X = X = …` assignments. */
function decorateCall(expr: Node): import('ts-morph').CallExpression | undefined {
  let node: Node = expr;
  while (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.EqualsToken) node = node.getRight();
  if (!Node.isCallExpression(node)) return undefined;
  return DECORATE_HELPER.test(unwrap(node.getExpression()).getText()) ? node : undefined;
}

function use(element: Expression): DecoratorUse {
  const node = unwrap(element);
  return Node.isCallExpression(node)
    ? { expression: unwrap(node.getExpression()), arguments: node.getArguments() }
    : { expression: node, arguments: [] };
}

/** The name compiled code decorates the class by: `let X = class X …`, `let X = X_1 = class X …`, `class X {}`. */
function bindingName(cls: ClassLike): string | undefined {
  if (Node.isClassDeclaration(cls)) return cls.getName();
  let node: Node = cls;
  while (Node.isBinaryExpression(node.getParent()) || Node.isParenthesizedExpression(node.getParent())) node = node.getParent()!;
  const parent = node.getParent();
  return parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
}

/**
 * A design:paramtypes element as a type: `FooService`, `svc_1.FooService`, or the guard for types
 * that may not exist at run time: tsc's `typeof (_a = typeof X !== "undefined" && X) === "function" ? _a : Object`,
 * SWC's `typeof X === "undefined" ? Object : X`.
 */
function typeExpression(element: Node): Node | undefined {
  const node = unwrap(element);
  if (Node.isIdentifier(node)) return node.getText() === 'Object' ? undefined : node;
  if (Node.isPropertyAccessExpression(node)) return node;
  if (Node.isConditionalExpression(node) && node.getCondition().getText().startsWith('typeof ') && node.getWhenTrue().getText() === 'Object') {
    return typeExpression(node.getWhenFalse());
  }
  const guard = node.getDescendantsOfKind(SyntaxKind.BinaryExpression)
    .find((b) => b.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken && b.getLeft().getText().startsWith('typeof '));
  return guard?.getRight();
}
