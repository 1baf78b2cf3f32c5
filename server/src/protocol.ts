// Tasklane's additions to LSP, shared by the language server and the extension (which imports this
// module as @tasklane/server/protocol, and nothing else of the server or the analyzer): custom method names, their payloads, the commands the code lenses
// invoke, and how a task is named and acted on (taskFacts.ts), so both sides say the same. Everything else the two sides exchange is plain LSP.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ScheduleFound, TaskAnalysis } from '@tasklane/analyzer';
import type { MeasuredSummary } from 'tasklane/contract';

export type { MeasuredSummary } from 'tasklane/contract';
export type { BullmqWorker, Evidence, Parameter, RedisConnection, ScheduleFound, TaskAnalysis } from '@tasklane/analyzer';

export interface TasksParams {
  /** URI of a workspace folder; without it, the tasks of every folder. */
  folder?: string;
}

/** `tasklane/tasks`: every task found in a workspace folder with its verdict (the sidebar's source). */
export const TasksRequest = new RequestType<TasksParams, TaskAnalysis[], void>('tasklane/tasks');

/** `tasklane/schedules`: the schedules declared in code (`app.schedule(...)`) in a workspace folder (or all). */
export const SchedulesRequest = new RequestType<TasksParams, ScheduleFound[], void>('tasklane/schedules');

export interface TasksChangedParams {
  /** URI of the workspace folder whose task list changed: ask `tasklane/tasks` (and `tasklane/schedules`) again. */
  folder: string;
}

/** `tasklane/tasksChanged`: a task or a schedule appeared, disappeared, or its verdict, queue, problems or timing changed. */
export const TasksChangedNotification = new NotificationType<TasksChangedParams>('tasklane/tasksChanged');

export interface MeasuredParams {
  /** URI of the workspace folder whose broker the runs were recorded on. */
  folder: string;
  /** Every task with recorded runs (tasks not listed have none): replaces what was sent before. */
  tasks: MeasuredSummary[];
}

/**
 * `tasklane/measured` (extension → server): the CPU share each task's recorded runs measured, for
 * the hover and the measured-vs-predicted diagnostic. Sent on connecting to the broker and when
 * workers have recorded new runs.
 */
export const MeasuredNotification = new NotificationType<MeasuredParams>('tasklane/measured');

/** The commands behind the Run and Debug code lenses; the extension registers them. */
export const RUN_TASK_COMMAND = 'tasklane.runTask';
export const DEBUG_TASK_COMMAND = 'tasklane.debugTask';

/** The one argument of `tasklane.runTask` / `tasklane.debugTask`. */
export interface TaskCommandArgs {
  name: string;
  /** Absolute path of the file that defines the task. */
  file: string;
  /** 1-based line of the task's definition. */
  line: number;
}

/** The settings section the server reads per workspace folder (workspace/configuration). */
export const SETTINGS_SECTION = 'tasklane';

export { concurrencyNow, distinctEvidence, taskActions, taskLabel, WORKER_KIND, type Fact, type TaskActions } from './taskFacts.ts';
