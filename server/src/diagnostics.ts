// The analyzer's problems as LSP diagnostics (source "tasklane", code = the ProblemCode), pushed per
// file: open files always (so the client knows they are current), closed files while they have
// problems or just lost their last one.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { Problem } from '@tasklane/analyzer';
import type { OpenDocuments } from './documents.ts';
import type { Folder, Folders } from './folders.ts';
import { measuredDiagnostic } from './measured.ts';
import { toLspRange } from './ranges.ts';

export const SOURCE = 'tasklane';

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(problem: Problem): Diagnostic {
  return {
    range: toLspRange(problem.range),
    severity: SEVERITY[problem.severity],
    source: SOURCE,
    code: problem.code,
    message: problem.message,
    data: { task: problem.task, ...problem.data },
  };
}

/** Where a file's tasks' recorded runs contradict the analysis. */
function measuredDiagnostics(folder: Folder, path: string): Diagnostic[] {
  if (!folder.measured.size) return [];
  return folder.tasks().filter((task) => task.file === path)
    .map((task) => measuredDiagnostic(task, folder.measured.get(task.name)))
    .filter((diagnostic) => diagnostic !== undefined);
}

export class DiagnosticsPublisher {
  /** Paths whose last published diagnostics were not empty. */
  private readonly shown = new Set<string>();

  constructor(private readonly connection: Connection, private readonly documents: OpenDocuments, private readonly folders: Folders) {}

  publish(path: string): void {
    const folder = this.folders.of(path);
    const diagnostics = folder?.enabled ? [...folder.problems(path).map(toDiagnostic), ...measuredDiagnostics(folder, path)] : [];
    const document = this.documents.byPath(path);
    if (!diagnostics.length && !document && !this.shown.has(path)) return;
    if (diagnostics.length) this.shown.add(path);
    else this.shown.delete(path);
    void this.connection.sendDiagnostics({
      uri: this.documents.uriFor(path),
      version: document?.version,
      diagnostics,
    });
  }

  /** Paths that currently show diagnostics (to clear them when a folder goes away or is disabled). */
  shownPaths(): string[] {
    return [...this.shown];
  }
}
