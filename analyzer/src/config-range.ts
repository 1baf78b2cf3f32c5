// Where in tasklane.config.json a ConfigError's field is, so the diagnostic lands on it.
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Range } from './types.ts';

/** "workers.cpu.pool" or 'routes["images.*"]' → ["workers", "cpu", "pool"] / ["routes", "images.*"]. */
function segments(field: string): string[] {
  const parts: string[] = [];
  for (const match of field.matchAll(/\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    parts.push(match[1] ? JSON.parse(match[1]) as string : match[2]);
  }
  return parts;
}

export function configErrorRange(file: string, text: string, field: string): Range {
  const tree = text ? parseTree(text) : undefined;
  let node: JsonNode | undefined = tree && field ? findNodeAtLocation(tree, segments(field)) : undefined;
  // Point at the property's key when there is one: the value may span many lines.
  if (node?.parent?.type === 'property') node = node.parent.children?.[0] ?? node;
  const start = node?.offset ?? 0;
  const end = node ? node.offset + node.length : Math.min(text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'), text.length);
  const position = (offset: number): { line: number; column: number } => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) };
  };
  const a = position(start);
  const b = position(end);
  return { file, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
}
