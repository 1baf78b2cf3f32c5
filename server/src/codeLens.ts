// A code lens row over each task: the suggestion first ("suggest: threads × 2 · queue cpu —
// CPU-bound"; for BullMQ "suggest: inline × 100 — I/O-bound · now inline, BullMQ default 1"), its evidence in the tooltip, then Run and Debug where they can
// work (the tooltip says why where they cannot). The extension registers their commands.
import { relative } from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import type { TaskAnalysis } from '@tasklane/analyzer';
import { DEBUG_TASK_COMMAND, RUN_TASK_COMMAND, type TaskCommandArgs } from './protocol.ts';
import { startOf } from './ranges.ts';
import { distinctEvidence, taskActions } from './taskFacts.ts';

export function taskLenses(tasks: TaskAnalysis[], root: string): CodeLens[] {
  return tasks.flatMap((task) => {
    const position = startOf(task.range);
    const range = { start: position, end: position };
    const args: TaskCommandArgs = { name: task.name, file: task.file, line: task.line };
    const actions = taskActions(task);
    const notes = [
      ...distinctEvidence(task.evidence).map((f) => `${f.message} (${f.places.map((p) => `${relative(root, p.file) || p.file}:${p.line}`).join(', ')})`),
      ...(actions.run === true ? [] : [`Run is not offered: ${actions.run}.`]),
      ...(actions.debug === true || actions.debug === actions.run ? [] : [`Debug is not offered: ${actions.debug}.`]),
    ];
    // An empty command id makes the lens a label: the verdict is read, not clicked.
    const lenses: CodeLens[] = [{ range, command: { title: task.summary, command: '', ...(notes.length && { tooltip: notes.join('\n') }) } }];
    if (actions.run === true) lenses.push({ range, command: { title: '$(play) Run', command: RUN_TASK_COMMAND, arguments: [args] } });
    if (actions.debug === true) lenses.push({ range, command: { title: '$(debug-alt) Debug', command: DEBUG_TASK_COMMAND, arguments: [args] } });
    return lenses;
  });
}
