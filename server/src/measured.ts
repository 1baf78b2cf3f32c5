// Measured beside predicted: the CPU share a task's recorded runs measured (workers keep them on
// the broker; the extension reads them and sends them with `tasklane/measured`), shown in the
// hover under the static verdict, and a diagnostic when the measurement and the prediction disagree.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TaskAnalysis } from '@tasklane/analyzer';
import { formatMs, type MeasuredSummary } from 'tasklane/contract';
import { SOURCE } from './diagnostics.ts';
import { toLspRange } from './ranges.ts';

/**
 * Fewer runs say little: the first runs of a process pay for loading modules and for the JIT, and
 * one slow network call moves a handful of runs' share a long way.
 */
export const MIN_RUNS = 10;
/**
 * At or above this a task computes most of the time it runs. On an async worker that time is taken
 * from every other task on the loop; set well above the middle because on a busy async worker a
 * computing task's wall time also counts the turns other tasks take, which lowers its share.
 */
export const BUSY_SHARE = 0.7;
/** At or below this a task mostly waits: a thread or a process held for it is held idle. */
export const IDLE_SHARE = 0.2;

export const MEASURED_CODE = 'measured-disagrees';

const KIND: Record<TaskAnalysis['kind'], string> = { cpu: 'CPU-bound', io: 'I/O-bound', mixed: 'mixed CPU and I/O', unknown: 'no kind' };

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** The hover's line: "Measured: 93 % CPU over 41 runs (median 120ms)". */
export function measuredHoverLine(summary: MeasuredSummary): string {
  return `Measured: ${percent(summary.cpuShare)} CPU over ${summary.runs} run${summary.runs === 1 ? '' : 's'} (median ${formatMs(summary.medianWallMs)})`;
}

/** Why the measured runs contradict where the task runs or what the analysis predicts; undefined when they agree. */
export function measuredDisagreement(task: TaskAnalysis, summary: MeasuredSummary | undefined): { severity: DiagnosticSeverity; message: string } | undefined {
  // BullMQ, Bull and NestJS processors run outside Tasklane: no recorded runs to compare.
  if (task.framework !== 'tasklane' || !summary || summary.runs < MIN_RUNS) return undefined;
  const measured = `its last ${summary.runs} runs measured ${percent(summary.cpuShare)} CPU (median ${formatMs(summary.medianWallMs)})`;
  const predicted = `the analysis predicts ${KIND[task.kind]}`;
  if (summary.cpuShare >= BUSY_SHARE && task.routedPool === 'async') {
    return {
      severity: DiagnosticSeverity.Warning,
      message: `Task '${task.name}' runs on an async worker (queue '${task.routedQueue}') and ${predicted}, but ${measured}: while it computes, every other task on that event loop waits. `
        + `Route it to a threads or prefork queue${task.pool !== 'async' && task.queue !== task.routedQueue ? ` ('${task.queue}')` : ''}, or move the computation off the loop.`,
    };
  }
  if (summary.cpuShare >= BUSY_SHARE && task.kind === 'io') {
    return {
      severity: DiagnosticSeverity.Warning,
      message: `The analysis predicts task '${task.name}' is I/O-bound (so it suggests the async pool), but ${measured}: it computes most of the time. `
        + 'Do not move it to an async worker; the hover\'s evidence shows what the analysis found (work it could not follow is missing there).',
    };
  }
  // On an async worker a run's waits between slices also count other tasks' turns, so a low share
  // proves nothing there (and async is already where a waiting task belongs).
  if (summary.cpuShare <= IDLE_SHARE && task.kind === 'cpu' && task.routedPool !== 'async') {
    return {
      severity: DiagnosticSeverity.Information,
      message: `The analysis predicts task '${task.name}' is CPU-bound, but ${measured}: it mostly waits. `
        + 'Check the CPU evidence in the hover (the heavy part may be rare or small on real input); if the measurement holds, an async queue runs it more cheaply.',
    };
  }
  return undefined;
}

/** The disagreement as a diagnostic where the task's other problems are (its name), else at its start. */
export function measuredDiagnostic(task: TaskAnalysis, summary: MeasuredSummary | undefined): Diagnostic | undefined {
  const found = measuredDisagreement(task, summary);
  if (!found) return undefined;
  const { startLine, startColumn } = task.range;
  const range = task.problems[0]?.range ?? { startLine, startColumn, endLine: startLine, endColumn: startColumn };
  return { range: toLspRange(range), severity: found.severity, source: SOURCE, code: MEASURED_CODE, message: found.message, data: { task: task.name } };
}
