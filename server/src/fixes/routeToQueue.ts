// Quick fix: route a Tasklane task to another queue by setting `queue` in its options object
// (app.task(name, handler, options)), adding the options argument when there is none. A task
// option outranks the config's routes, so this is the edit that decides.
import { ts } from 'ts-morph';
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TaskAnalysis } from '@tasklane/analyzer';
import { quoteOf, quoted, taskCall } from '../syntax.ts';

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

export function routeToQueueEdits(document: TextDocument, task: TaskAnalysis, queue: string): TextEdit[] | undefined {
  if (task.framework !== 'tasklane') return undefined;
  const call = taskCall(document, task.range);
  const args = call?.arguments;
  if (!call || !args || args.length < 2) return undefined;
  const file = call.getSourceFile();
  const value = quoted(queue, quoteOf(call));
  const replace = (start: number, end: number, newText: string): TextEdit[] => [
    { range: { start: document.positionAt(start), end: document.positionAt(end) }, newText },
  ];
  const options = args[2];

  if (!options) return replace(args[1].getEnd(), args[1].getEnd(), `, { queue: ${value} }`);

  if (!ts.isObjectLiteralExpression(options)) {
    // Options from a variable or a call: keep them, override the queue.
    return replace(options.getStart(file), options.getEnd(), `{ ...${options.getText(file)}, queue: ${value} }`);
  }

  // The last `queue` wins in an object literal, so that is the one to change.
  const existing = options.properties.filter((property) => propertyName(property) === 'queue').at(-1);
  if (existing && ts.isPropertyAssignment(existing)) {
    return replace(existing.initializer.getStart(file), existing.initializer.getEnd(), value);
  }
  if (existing) return replace(existing.getStart(file), existing.getEnd(), `queue: ${value}`);

  const last = options.properties.at(-1);
  if (!last) return replace(options.getStart(file), options.getEnd(), `{ queue: ${value} }`);
  // After the last property, so a spread (`...defaults`) cannot override it.
  const text = document.getText();
  const multiline = text.slice(options.getStart(file), last.getStart(file)).includes('\n');
  const indent = multiline ? /[ \t]*$/.exec(text.slice(0, last.getStart(file)))![0] : '';
  return replace(last.getEnd(), last.getEnd(), multiline ? `,\n${indent}queue: ${value}` : `, queue: ${value}`);
}
