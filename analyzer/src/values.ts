// Constant values as the analyzer needs them: task names, queue names, option objects and
// sandboxed-processor paths, followed through constants, imports and object literals.
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { Node, SyntaxKind, type ObjectLiteralExpression } from 'ts-morph';
import { PATH_URL_FUNCTIONS } from './knowledge/frameworks.ts';
import { findDeclaration, unwrap, type Resolver } from './resolve.ts';

const MAX_PARTS = 32;

/** A string known statically, or undefined. */
export function stringValue(resolver: Resolver, expr: Node | undefined, hops = 0): string | undefined {
  if (!expr || hops > MAX_PARTS) return undefined;
  const node = unwrap(expr);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const part = stringValue(resolver, span.getExpression(), hops + 1) ?? numberValue(resolver, span.getExpression(), hops + 1)?.toString();
      if (part === undefined) return undefined;
      text += part + span.getLiteral().getLiteralText();
    }
    return text;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const left = stringValue(resolver, node.getLeft(), hops + 1);
    const right = stringValue(resolver, node.getRight(), hops + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
    const origin = resolver.resolve(node);
    return origin?.kind === 'value' && origin.node !== node ? stringValue(resolver, origin.node, hops + 1) : undefined;
  }
  return undefined;
}

export function numberValue(resolver: Resolver, expr: Node | undefined, hops = 0): number | undefined {
  if (!expr || hops > MAX_PARTS) return undefined;
  const node = unwrap(expr);
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
    const origin = resolver.resolve(node);
    return origin?.kind === 'value' && origin.node !== node ? numberValue(resolver, origin.node, hops + 1) : undefined;
  }
  return undefined;
}

export function booleanValue(resolver: Resolver, expr: Node | undefined): boolean | undefined {
  if (!expr) return undefined;
  const node = unwrap(expr);
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
    const origin = resolver.resolve(node);
    return origin?.kind === 'value' && origin.node !== node ? booleanValue(resolver, origin.node) : undefined;
  }
  return undefined;
}

/** The object literal an expression stands for (inline, or a constant), or undefined. */
export function objectValue(resolver: Resolver, expr: Node | undefined): ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const node = unwrap(expr);
  if (Node.isObjectLiteralExpression(node)) return node;
  const origin = resolver.resolve(node);
  return origin?.kind === 'object' ? origin.node : undefined;
}

/** A property of an option object: its initializer node (shorthand `{ queue }` included). */
export function propertyNode(object: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  const prop = object?.getProperty(name);
  if (!prop) return undefined;
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}

/**
 * A file path built in code, as BullMQ's sandboxed processors are named:
 * "./p.js", path.join(__dirname, 'p.js'), `${__dirname}/p.js`, __dirname + '/p.js', new URL('./p.js', import.meta.url),
 * fileURLToPath(new URL(...)), pathToFileURL(...). Relative paths are taken against the declaring file's folder.
 */
export function pathValue(resolver: Resolver, expr: Node, fromFile: string, hops = 0): string | undefined {
  if (hops > MAX_PARTS) return undefined;
  const node = unwrap(expr);
  const dir = dirname(fromFile);
  if (node.getText() === '__dirname' || node.getText() === 'import.meta.dirname') return dir;
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const part = pathValue(resolver, span.getExpression(), fromFile, hops + 1) ?? stringValue(resolver, span.getExpression());
      if (part === undefined) return undefined;
      text += part + span.getLiteral().getLiteralText();
    }
    return isAbsolute(text) ? text : resolvePath(dir, text);
  }
  if (Node.isNewExpression(node) && node.getExpression().getText() === 'URL') {
    const [spec] = node.getArguments();
    const text = spec && stringValue(resolver, spec);
    return text === undefined ? undefined : resolvePath(dir, text);
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    // __dirname + '/p.js'
    const left = pathValue(resolver, node.getLeft(), fromFile, hops + 1);
    const right = stringValue(resolver, node.getRight());
    return left !== undefined && right !== undefined ? resolvePath(dir, left + right) : undefined;
  }
  // pathToFileURL(p).href, new URL(…).pathname: the same file.
  if (Node.isPropertyAccessExpression(node) && ['href', 'pathname'].includes(node.getName())) return pathValue(resolver, node.getExpression(), fromFile, hops + 1);
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression().getText();
    const args = node.getArguments();
    if (PATH_URL_FUNCTIONS.has(callee.split('.').at(-1)!) && args[0]) return pathValue(resolver, args[0], fromFile, hops + 1);
    if (/(^|\.)(join|resolve)$/.test(callee) && args.length) {
      const parts: string[] = [];
      for (const arg of args) {
        const part = stringValue(resolver, arg) ?? pathValue(resolver, arg, fromFile, hops + 1);
        if (part === undefined) return undefined;
        parts.push(part);
      }
      const joined = join(...parts);
      return isAbsolute(joined) ? joined : resolvePath(dir, joined);
    }
    return undefined;
  }
  if (Node.isIdentifier(node)) {
    const decl = findDeclaration(node.getText(), node);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    return init ? pathValue(resolver, init, fromFile, hops + 1) : undefined;
  }
  const text = stringValue(resolver, node);
  return text === undefined ? undefined : resolvePath(dir, text);
}
