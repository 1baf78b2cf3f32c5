// Workflows over task signatures, as Celery's canvas: chain (each result goes to the next task),
// group (in parallel, results in order) and chord (a group, then a callback with all its results).
// Everything a workflow will send is decided here (ids, queues, arguments checked as JSON) and
// travels in the first messages; workers send each later step (worker/flow.ts).
import { stepMessage, memberId } from './flow.ts';
import { buildMessage, checkJsonArgs, type ApplyOptions } from './message.ts';
import type { FlowStep, TaskMessage } from './protocol.ts';
import type { TaskOptions } from './registry.ts';
import { AsyncResult } from './result.ts';
import type { Duration } from './duration.ts';
import type { TaskHost } from './task.ts';

/** Per-signature options: where it runs and how urgently (the rest of ApplyOptions applies to a whole send). */
export interface SignatureOptions {
  queue?: string;
  priority?: number;
}

/**
 * A task with its arguments, to send now or as part of a workflow. `R` is its result; `Need` the
 * arguments it still needs in front of its own: [] for a complete one (`task.s(...all)`), or one
 * for a link that receives the previous result in a chain, or the results of a chord's group
 * (`task.s(...allButTheFirst)`).
 */
export class Signature<R = unknown, Need extends unknown[] = []> {
  /** Types only: what it still needs and what it returns (chain and chord check links by it). */
  declare readonly types?: (...need: Need) => R;
  readonly args: unknown[];

  constructor(readonly task: string, args: unknown, readonly options: SignatureOptions, private readonly taskOptions: TaskOptions, readonly host: TaskHost) {
    this.args = checkJsonArgs(task, args);
  }

  /** Sends it alone (a complete signature), as task.applyAsync would. */
  async applyAsync(this: Signature<R, []>, apply: ApplyOptions = {}): Promise<AsyncResult<R>> {
    return send<R>(this, this.message(apply));
  }

  delay(this: Signature<R, []>): Promise<AsyncResult<R>> {
    return this.applyAsync();
  }

  /** The message sending it first (send options over its own). */
  message(apply: ApplyOptions = {}): TaskMessage {
    const options = { ...this.options, ...dropUndefined(apply) };
    return buildMessage(this.task, this.args, this.host.queueFor(this.task, this.taskOptions.queue, options.queue), this.taskOptions, options);
  }

  /** It as a later step of a workflow (the worker puts the previous result, or the group's results, before its arguments). */
  step(id: string = crypto.randomUUID()): FlowStep {
    const step: FlowStep = { id, task: this.task, args: this.args, queue: this.host.queueFor(this.task, this.taskOptions.queue, this.options.queue) };
    if (this.options.priority !== undefined) step.priority = this.options.priority;
    return step;
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function send<R>(signature: Signature<unknown, unknown[]>, message: TaskMessage, waitOn: { id: string; task: string } = message): Promise<AsyncResult<R>> {
  const broker = () => signature.host.broker();
  await (await broker()).publish(message);
  return new AsyncResult<R>(waitOn.id, waitOn.task, broker);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any signature, whatever it returns or needs
type AnySignature = Signature<any, any>;
export type SignatureResult<S> = S extends Signature<infer R, infer _Need> ? R : never;

/** The links after a chain's first, each checked to take the previous one's result. */
type Links<Prev, S extends readonly unknown[]> = S extends readonly [infer Head, ...infer Tail]
  ? [Head extends Signature<infer R, [Prev]> ? Signature<R, [Prev]> : Signature<unknown, [Prev]>, ...Links<SignatureResult<Head>, Tail>]
  : S extends readonly [] ? [] : Array<Signature<unknown, [Prev]>>;
type LastResult<First, S extends readonly unknown[]> = S extends readonly [...unknown[], infer Last] ? SignatureResult<Last> : SignatureResult<First>;

/** Tasks run one after another, each receiving the previous result as its first argument. */
export class Chain<R> {
  constructor(readonly signatures: readonly AnySignature[]) {
    if (!signatures.length) throw new TypeError('chain needs at least one signature: chain(a.s(1), b.s())');
    if (signatures.some((s) => !(s instanceof Signature))) throw new TypeError('chain takes task signatures: chain(a.s(1), b.s()), made with task.s(...) or task.signature(args, options)');
  }

  /**
   * Sends the first task, carrying the others; `apply` applies to the first. The result is the
   * last task's: get() returns what it returned, or throws the failure of any link (the chain
   * stops there).
   */
  async applyAsync(apply: ApplyOptions = {}): Promise<AsyncResult<R>> {
    const [first, ...rest] = this.signatures;
    const message = first.message(apply);
    const steps = rest.map((s) => s.step());
    if (steps.length) message.flow = { chain: steps };
    return send<R>(first, message, steps.at(-1) ?? message);
  }

  delay(): Promise<AsyncResult<R>> {
    return this.applyAsync();
  }
}

/** The results of a group, in the order of its signatures. */
export class GroupResult<R extends unknown[]> {
  constructor(readonly id: string, readonly results: Array<AsyncResult<unknown>>) {}

  /** Waits for every member; returns their results in order, or throws the first failure met (in order). */
  async get(options: { timeout?: Duration; signal?: AbortSignal } = {}): Promise<R> {
    const settled = await Promise.allSettled(this.results.map((r) => r.get(options)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as R;
  }
}

/** Tasks run in parallel (each a complete signature). */
export class Group<R extends unknown[]> {
  constructor(readonly signatures: ReadonlyArray<Signature<unknown, []>>) {
    if (signatures.some((s) => !(s instanceof Signature))) throw new TypeError('group takes complete task signatures: group(a.s(1), a.s(2))');
  }

  /** Sends every member (member i gets the id `<group id>.<i>`; `apply.id` names the group). */
  async applyAsync(apply: ApplyOptions = {}): Promise<GroupResult<R>> {
    const id = apply.id ?? crypto.randomUUID();
    const results = await Promise.all(this.members(id, apply).map(([signature, message]) => send(signature, message)));
    return new GroupResult<R>(id, results);
  }

  delay(): Promise<GroupResult<R>> {
    return this.applyAsync();
  }

  /** Each member with its message (ids derived from the group's; results kept: the group's get() or the chord's join reads them). */
  members(id: string, apply: ApplyOptions): Array<[Signature<unknown, []>, TaskMessage]> {
    return this.signatures.map((s, i) => [s, s.message({ ...apply, id: memberId(id, i), ignoreResult: false })]);
  }
}

/** A group, then a callback run once with all the members' results (in order) as its first argument. */
export class Chord<R> {
  constructor(readonly header: Group<unknown[]>, readonly callback: AnySignature) {
    if (!(header instanceof Group)) throw new TypeError('chord takes a group first: chord(group(a.s(1), a.s(2)), total.s())');
    if (!(callback instanceof Signature)) throw new TypeError('chord takes a task signature as its callback: chord(group(...), total.s())');
  }

  /**
   * Sends the members; the last one to finish sends the callback, exactly once even when members
   * are delivered twice. The result is the callback's; get() throws the failure of any member.
   */
  async applyAsync(apply: ApplyOptions = {}): Promise<AsyncResult<R>> {
    const id = apply.id ?? crypto.randomUUID();
    const size = this.header.signatures.length;
    const callback = this.callback.step(`${id}.callback`);
    callback.flow = { join: { id, size } };
    if (!size) return send<R>(this.callback, stepMessage(callback, []));
    const members = this.header.members(id, apply);
    for (const [index, [, message]] of members.entries()) message.flow = { chord: { id, index, size, callback } };
    await Promise.all(members.map(([signature, message]) => send(signature, message)));
    return new AsyncResult<R>(callback.id, callback.task, () => this.callback.host.broker());
  }

  delay(): Promise<AsyncResult<R>> {
    return this.applyAsync();
  }
}

/**
 * `chain(a.s(1), b.s(), c.s(10))`: a(1), then b(resultOfA), then c(resultOfB, 10). The first is
 * complete; each later one is made without its first argument, which the previous result fills.
 */
export function chain<First extends Signature<unknown, []>, Rest extends AnySignature[]>(
  first: First, ...rest: Rest & Links<SignatureResult<First>, Rest>
): Chain<LastResult<First, Rest>> {
  return new Chain([first, ...rest]);
}

/** `group(a.s(1), a.s(2))`: run in parallel; get() returns [resultOf1, resultOf2]. */
export function group<S extends Array<Signature<unknown, []>>>(...signatures: S): Group<{ [K in keyof S]: SignatureResult<S[K]> }> {
  return new Group(signatures);
}

/** `chord(group(a.s(1), a.s(2)), total.s())`: total([resultOf1, resultOf2]) once both are done. */
export function chord<G extends Group<unknown[]>, C extends Signature<unknown, [GroupResults<G>]>>(header: G, callback: C): Chord<SignatureResult<C>> {
  return new Chord(header, callback);
}

type GroupResults<G> = G extends Group<infer R> ? R : never;
