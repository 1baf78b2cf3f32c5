// What the editor needs to name a task and to act on a BullMQ Worker: the name the user gave what
// holds it, and the Worker's queue, concurrency and connection as written. Read only from literals
// (through constants): a value computed at run time is reported as unread, never guessed.
import { Node, SyntaxKind, type NewExpression } from 'ts-morph';
import type { FoundTask } from './discover.ts';
import { findDeclaration, unwrap, type Resolver } from './resolve.ts';
import type { BullmqWorker, RedisConnection } from './types.ts';
import { numberValue, objectValue, propertyNode, stringValue } from './values.ts';

/** The variable, class member or function holding `node`: "firstWorker", "Backups.worker", "startWorkers". */
export function bindingName(node: Node): string | undefined {
  for (let at = node.getParent(); at && !Node.isSourceFile(at); at = at.getParent()) {
    const name = ownName(at);
    if (!name) continue;
    const owner = Node.isClassDeclaration(at) ? undefined : at.getFirstAncestorByKind(SyntaxKind.ClassDeclaration)?.getName();
    return owner ? `${owner}.${name}` : name;
  }
  return undefined;
}

function ownName(node: Node): string | undefined {
  if (Node.isVariableDeclaration(node) || Node.isPropertyDeclaration(node) || Node.isPropertyAssignment(node)
    || Node.isMethodDeclaration(node) || Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node)) {
    return node.getName();
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    return node.getLeft().getText().replace(/^this\./, '');
  }
  return undefined;
}

/** True when nothing but the module's own evaluation creates `node` (no function or class around it). */
function atTopLevel(node: Node): boolean {
  return !node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isClassDeclaration(a) || Node.isClassExpression(a));
}

export function bullmqWorker(found: FoundTask, resolver: Resolver): BullmqWorker {
  const bull = found.bullmq!;
  const concurrencyNode = propertyNode(found.options, 'concurrency');
  const worker: BullmqWorker = {
    ...(found.queue !== undefined && { queue: found.queue }),
    ...(concurrencyNode && { concurrency: numberValue(resolver, concurrencyNode) ?? concurrencyNode.getText() }),
    sandboxed: bull.sandboxed,
    useWorkerThreads: bull.useWorkerThreads,
    ...(bull.processorFile && { processorFile: bull.processorFile }),
    startsWithFile: atTopLevel(found.call),
  };
  const connectionNode = propertyNode(found.options, 'connection');
  if (connectionNode) {
    const read = connectionOf(connectionNode, resolver);
    if (typeof read === 'string') worker.connectionUnread = read;
    else worker.connection = read;
  }
  return worker;
}

/** `{ host, port, ... }`, `new IORedis(url | { ... })`: the literal fields, or why they cannot be read. */
function connectionOf(node: Node, resolver: Resolver): RedisConnection | string {
  let target = node;
  const created = objectValue(resolver, node) ? undefined : newExpressionOf(node);
  if (created) {
    const [first] = created.getArguments();
    const url = stringValue(resolver, first);
    if (url !== undefined) return withoutPassword(url);
    if (!first) return `\`${created.getText().slice(0, 60)}\` connects to Redis's default`;
    target = first;
  }
  const object = objectValue(resolver, target);
  if (!object) return `\`${node.getText().slice(0, 60)}\` is computed when the program runs`;
  const connection: RedisConnection = {};
  for (const property of object.getProperties()) {
    const name = Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) ? property.getName() : undefined;
    const value = name && propertyNode(object, name);
    if (!name || !value) return `\`${property.getText().slice(0, 60)}\` is computed when the program runs`;
    const unread = `${name}: \`${value.getText().slice(0, 60)}\` is computed when the program runs`;
    if (name === 'password') connection.password = true;
    else if (name === 'tls') connection.tls = true;
    else if (name === 'host' || name === 'username' || name === 'url') {
      const text = stringValue(resolver, value);
      if (text === undefined) return unread;
      if (name === 'url') Object.assign(connection, withoutPassword(text));
      else connection[name] = text;
    } else if (name === 'port' || name === 'db') {
      const number = numberValue(resolver, value);
      if (number === undefined) return unread;
      connection[name] = number;
    }
    // Other ioredis options (maxRetriesPerRequest, retryStrategy, ...) change no address.
  }
  return connection;
}

function newExpressionOf(node: Node) {
  const target = unwrap(node);
  if (Node.isNewExpression(target)) return target;
  const declaration = Node.isIdentifier(target) ? findDeclaration(target.getText(), target) : undefined;
  const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return init && Node.isNewExpression(unwrap(init)) ? unwrap(init) as NewExpression : undefined;
}

/** A password written in a URL is flagged like one in an object, never carried. */
function withoutPassword(url: string): RedisConnection {
  if (!URL.canParse(url)) return { url };
  const parsed = new URL(url);
  if (!parsed.password) return { url };
  parsed.password = '';
  return { url: parsed.href, password: true };
}
