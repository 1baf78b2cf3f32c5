// Workflow messages (chain, chord) as producers send them and workers continue them.
import type { Flow, FlowStep, TaskMessage } from './protocol.ts';

/** The task id of member `index` of group (or chord) `groupId`: derived, so messages need not list them. */
export function memberId(groupId: string, index: number): string {
  return `${groupId}.${index}`;
}

/** The message that sends `step` with `before` ahead of its own arguments, carrying the rest of the flow. */
export function stepMessage(step: FlowStep, before: unknown[], rest?: Flow): TaskMessage {
  // A later step's result is waited on (or joined): kept whatever the worker's ignoreResult default.
  const message: TaskMessage = { id: step.id, task: step.task, args: [...before, ...step.args], queue: step.queue, retries: 0, createdAt: Date.now(), ignoreResult: false };
  if (step.priority !== undefined) message.priority = step.priority;
  const flow = { ...step.flow, ...rest };
  if (Object.keys(flow).length) message.flow = flow;
  return message;
}

/** The message of a chain's next task after one that returned `result`, or undefined at its end. */
export function nextInChain(flow: Flow, result: unknown): TaskMessage | undefined {
  const [next, ...rest] = flow.chain ?? [];
  return next && stepMessage(next, [result], rest.length ? { chain: rest } : undefined);
}

/** The tasks that can no longer run once this one failed: the rest of its chain, its chord's callback and what follows that. */
export function downstream(flow: Flow | undefined): FlowStep[] {
  if (!flow) return [];
  const steps = [...flow.chain ?? []];
  if (flow.chord) steps.push(flow.chord.callback, ...downstream(flow.chord.callback.flow));
  return steps;
}
