// A code lens row over each task: the verdict summary ("CPU-bound · threads × 2 · queue cpu"),
// then, for Tasklane tasks, Run and Debug, whose commands the extension registers.
import type { CodeLens } from 'vscode-languageserver';
import type { TaskAnalysis } from '@tasklane/analyzer';
import { DEBUG_TASK_COMMAND, RUN_TASK_COMMAND, type TaskCommandArgs } from './protocol.ts';
import { startOf } from './ranges.ts';

export function taskLenses(tasks: TaskAnalysis[]): CodeLens[] {
  return tasks.flatMap((task) => {
    const position = startOf(task.range);
    const range = { start: position, end: position };
    const args: TaskCommandArgs = { name: task.name, file: task.file, line: task.line };
    // An empty command id makes the lens a label: the verdict is read, not clicked.
    const verdict: CodeLens = { range, command: { title: task.summary, command: '' } };
    // Run and Debug go through Tasklane's broker and workers, which do not run BullMQ processors.
    if (task.framework !== 'tasklane') return [verdict];
    return [
      verdict,
      { range, command: { title: '$(play) Run', command: RUN_TASK_COMMAND, arguments: [args] } },
      { range, command: { title: '$(debug-alt) Debug', command: DEBUG_TASK_COMMAND, arguments: [args] } },
    ];
  });
}
