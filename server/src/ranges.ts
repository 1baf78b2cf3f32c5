// The analyzer's ranges (1-based lines, 0-based columns) as LSP ranges (0-based both).
import type { Position, Range } from 'vscode-languageserver';
import type { Range as AnalysisRange } from '@tasklane/analyzer';

export function toLspRange(range: AnalysisRange): Range {
  return {
    start: { line: range.startLine - 1, character: range.startColumn },
    end: { line: range.endLine - 1, character: range.endColumn },
  };
}

export function startOf(range: AnalysisRange): Position {
  return { line: range.startLine - 1, character: range.startColumn };
}

export function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}
