// Hover on a task's head (`app.task('name'` / `new Worker('queue'`): what it spends its time on,
// whether it blocks the event loop, where it should run, and the evidence as file:line links.
import { relative } from 'node:path';
import { MarkupKind, type Hover, type MarkupContent, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { EvidenceKind, TaskAnalysis, TaskKind } from '@tasklane/analyzer';
import type { MeasuredSummary } from 'tasklane/contract';
import { measuredHoverLine } from './measured.ts';
import { uriOf } from './paths.ts';
import { taskCall, taskHead } from './syntax.ts';
import { distinctEvidence, taskLabel } from './taskFacts.ts';

const KIND: Record<TaskKind, string> = {
  cpu: 'CPU-bound',
  io: 'I/O-bound',
  mixed: 'mixed: CPU and I/O',
  unknown: 'not determined',
};

const EVIDENCE: Record<EvidenceKind, string> = {
  cpu: 'CPU',
  io: 'I/O',
  blocking: 'blocks',
  offloaded: 'CPU off-loop',
  info: 'note',
};

function code(text: string | number): string {
  return `\`${String(text).replace(/`/g, "'")}\``;
}

/** Markdown link text must not close the link early. */
function linkText(text: string): string {
  return text.replace(/[[\]\\]/g, '\\$&');
}

export function taskHover(task: TaskAnalysis, root: string, measured?: MeasuredSummary): MarkupContent {
  const lines = [
    `**${linkText(taskLabel(task))}** — ${KIND[task.kind]}${task.blocking ? ', **blocks the event loop**' : ''}`,
    '',
    // BullMQ has no pools or routes: its suggestion is in its own words (inline, sandboxed, threads).
    task.framework === 'tasklane'
      ? `Suggested: pool ${code(task.pool)} × ${task.concurrency}, queue ${code(task.queue)} (routed today to ${code(task.routedQueue)})`
      : `${task.summary.replace(/^suggest:/, 'Suggested:')}`,
    '',
    // Where the time goes, dominant cost first: why the verdict is what it is, in one line.
    `Cost: ${linkText(task.breakdown)}`,
  ];
  // What the runs measured, beside what the code predicts; nothing before the first recorded run.
  if (measured) lines.push('', measuredHoverLine(measured));
  if (task.problems.length) {
    lines.push('', ...task.problems.map((problem) => `- ⚠ ${problem.message}`));
  }
  const facts = distinctEvidence(task.evidence);
  if (facts.length) {
    lines.push('', 'Evidence:');
    for (const fact of facts) {
      const places = fact.places.map((p) => `[${linkText(`${relative(root, p.file) || p.file}:${p.line}`)}](${uriOf(p.file)}#L${p.line})`);
      lines.push(`- ${EVIDENCE[fact.kind]}: ${fact.message} — ${places.join(', ')}`);
    }
  }
  return { kind: MarkupKind.Markdown, value: lines.join('\n') };
}

/** The hover for a position on the head of one of the document's tasks, else null. */
export function taskHoverAt(document: TextDocument, tasks: TaskAnalysis[], position: Position, root: string, measured?: ReadonlyMap<string, MeasuredSummary>): Hover | null {
  const offset = document.offsetAt(position);
  for (const task of tasks) {
    const call = taskCall(document, task.range);
    if (!call) continue;
    const head = taskHead(call);
    if (offset < head.start || offset > head.end) continue;
    return {
      contents: taskHover(task, root, task.framework === 'tasklane' ? measured?.get(task.name) : undefined),
      range: { start: document.positionAt(head.start), end: document.positionAt(head.end) },
    };
  }
  return null;
}
