// The syntax the editor features need around an analysed task or call: a plain parse of one
// buffer (TypeScript's own parser, through ts-morph), no program or type checker. The analyzer
// tells where things are; this tells what text to touch there.
import { ts } from 'ts-morph';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range as AnalysisRange } from '@tasklane/analyzer';

const parsed = new Map<string, { version: number; text: string; file: ts.SourceFile }>();

function scriptKind(uri: string): ts.ScriptKind {
  if (/\.[cm]?jsx?$/.test(uri)) return uri.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return uri.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** The syntax tree of a document, reused while its text is unchanged. */
export function parse(document: TextDocument): ts.SourceFile {
  const text = document.getText();
  const cached = parsed.get(document.uri);
  if (cached && cached.version === document.version && cached.text === text) return cached.file;
  const file = ts.createSourceFile(document.uri, text, ts.ScriptTarget.Latest, true, scriptKind(document.uri));
  parsed.set(document.uri, { version: document.version, text, file });
  return file;
}

/** The buffer closed: its tree is not worth keeping. */
export function forget(uri: string): void {
  parsed.delete(uri);
}

export function offsets(document: TextDocument, range: AnalysisRange): { start: number; end: number } {
  return {
    start: document.offsetAt({ line: range.startLine - 1, character: range.startColumn }),
    end: document.offsetAt({ line: range.endLine - 1, character: range.endColumn }),
  };
}

/** The innermost node of a kind that covers [start, end). */
function innermost<T extends ts.Node>(file: ts.SourceFile, start: number, end: number, is: (node: ts.Node) => node is T): T | undefined {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(file) > start || node.getEnd() < end) return;
    if (is(node)) found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}

const isCallOrNew = (node: ts.Node): node is ts.CallExpression | ts.NewExpression => ts.isCallExpression(node) || ts.isNewExpression(node);

/**
 * The `app.task(...)` / `new Worker(...)` expression an analysed task's range covers: the one
 * spanning exactly that range, else the innermost call covering it.
 */
export function taskCall(document: TextDocument, range: AnalysisRange): ts.CallExpression | ts.NewExpression | undefined {
  const file = parse(document);
  const { start, end } = offsets(document, range);
  let exact: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (exact || node.getStart(file) > start || node.getEnd() < end) return;
    if (isCallOrNew(node) && node.getStart(file) === start && node.getEnd() === end) exact = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return exact ?? innermost(file, start, end, isCallOrNew);
}

/** The innermost call covering a range (e.g. a sync-io problem's `readFileSync(path)`). */
export function callCovering(document: TextDocument, range: AnalysisRange): ts.CallExpression | undefined {
  const { start, end } = offsets(document, range);
  return innermost(parse(document), start, end, ts.isCallExpression);
}

/**
 * Where a task is named: from the start of the call to the end of its first argument
 * (`app.task('images.resize'`, `new Worker('mail'`). Hovering there shows the task.
 */
export function taskHead(call: ts.CallExpression | ts.NewExpression): { start: number; end: number } {
  const file = call.getSourceFile();
  const first = call.arguments?.[0];
  return { start: call.getStart(file), end: first ? first.getEnd() : call.expression.getEnd() };
}

/** The quote the file's author uses, judged by the first string literal of a node. */
export function quoteOf(node: ts.Node): string {
  const file = node.getSourceFile();
  let quote: string | undefined;
  const visit = (child: ts.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(child)) quote = child.getText(file)[0];
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return quote === '"' ? '"' : "'";
}

export function quoted(value: string, quote: string): string {
  const json = JSON.stringify(value);
  return quote === '"' ? json : `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** The function a node is in, if any (arrow, expression, declaration, method, accessor). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

export function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** Leading whitespace of the line holding an offset. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
