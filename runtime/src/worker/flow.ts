// What a worker does for a task of a workflow (chain, chord) once its outcome is stored: send the
// next step, count a chord member, or store the failure on every step that can no longer run.
// Steps have ids fixed by the producer and are sent once per id (Broker.publishOnce, joinChord),
// so doing this twice (a redelivery after a worker died between storing and acking, a step
// delivered twice and run twice) sends nothing new.
import type { Broker } from '../broker/broker.ts';
import { PayloadTooLargeError } from '../broker/codec.ts';
import { downstream, memberId, nextInChain, stepMessage } from '../flow.ts';
import type { TaskMessage, TaskResult } from '../protocol.ts';

/**
 * After `message`'s outcome `result` is stored (`ttlMs`: how long results and markers are kept).
 * `again`: stored by an earlier delivery (see Broker.publishOnce).
 */
export async function continueFlow(broker: Broker, message: TaskMessage, result: TaskResult, ttlMs: number, again = false): Promise<void> {
  const flow = message.flow;
  if (!flow) return;
  if (result.state !== 'SUCCESS') {
    await failDownstream(broker, message, result, ttlMs);
    return;
  }
  try {
    const next = nextInChain(flow, result.result);
    if (next) await broker.publishOnce(next, ttlMs, again);
    if (flow.chord) {
      const { id, index, size, callback } = flow.chord;
      await broker.joinChord({ id, index, size }, stepMessage(callback, []), ttlMs, again);
    }
  } catch (error) {
    // The next step cannot be sent (this result makes it too large, or nest too deeply: the
    // codec's refusals): its waiters get that, rather than wait for a step that never comes.
    if (!(error instanceof PayloadTooLargeError || error instanceof TypeError)) throw error;
    await failDownstream(broker, message, { ...result, state: 'FAILURE', error: { name: error.name, message: error.message } }, ttlMs);
  }
}

/** A failed (or revoked) step: the waiters of every later step get its failure. */
async function failDownstream(broker: Broker, message: TaskMessage, result: TaskResult, ttlMs: number): Promise<void> {
  const error = result.error ?? { name: 'Error', message: 'no error recorded' };
  const cause = { ...error, message: `${error.message} (in ${message.task}[${message.id}], an earlier step of this workflow)` };
  await Promise.all(downstream(message.flow).map((step) => broker.storeResult({
    id: step.id, task: step.task, state: result.state, error: cause, finishedAt: Date.now(), worker: result.worker, pool: result.pool,
  }, ttlMs)));
}

/**
 * A chord callback about to run: its first argument becomes the members' results, in order (its
 * message is changed in place, and loses its join, so a retry sends the joined arguments). Returns
 * the failure to store instead when a member's result is missing or not a success.
 */
export async function join(broker: Broker, message: TaskMessage): Promise<TaskResult['error'] | undefined> {
  const { join: chord, ...rest } = message.flow ?? {};
  if (!chord) return undefined;
  const ids = Array.from({ length: chord.size }, (_, i) => memberId(chord.id, i));
  const results = await Promise.all(ids.map((id) => broker.getResult(id)));
  const missing = results.findIndex((r) => r?.state !== 'SUCCESS');
  if (missing >= 0) {
    const found = results[missing];
    return found?.error
      ? { ...found.error, message: `${found.error.message} (in chord member ${ids[missing]})` }
      : { name: 'ChordError', message: `the result of chord member ${ids[missing]} is gone (expired, or never stored): the callback cannot run without it` };
  }
  message.args = [results.map((r) => r!.result), ...message.args];
  if (Object.keys(rest).length) message.flow = rest;
  else delete message.flow;
  return undefined;
}
