import type { ExecutionOutcome } from './pool.ts';

/** The executions a pool has started and not finished, so a warm close can wait for them. */
export class InFlight {
  private readonly executions = new Set<Promise<ExecutionOutcome>>();

  async track(execution: Promise<ExecutionOutcome>): Promise<ExecutionOutcome> {
    this.executions.add(execution);
    try {
      return await execution;
    } finally {
      this.executions.delete(execution);
    }
  }

  async drain(): Promise<void> {
    await Promise.all(this.executions);
  }
}
