// What the walk over a task's code collects: one finding per call, loop or pattern that tells
// where the time goes. The verdict and the problems are computed from these.
import type { Node } from 'ts-morph';
import type { Cost, Effect, Replacement } from './knowledge/index.ts';

export interface Finding {
  /** 'unfollowed': a call into workspace code whose source could not be reached, or an awaited call that could not be traced. */
  effect: Exclude<Effect, 'neutral'> | 'unfollowed';
  /** How much it weighs: the verdict follows the dominant cost. */
  cost: Cost;
  /** A few words for the cost breakdown: "sharp resize", "nested loop", "execSync". */
  what: string;
  /** The call as written, when the finding is a call: "s3.send() (@aws-sdk/client-s3)". */
  label?: string;
  /** One sentence, e.g. "fs.readFileSync() does file I/O synchronously: …". */
  message: string;
  file: string;
  line: number;
  /** The call or loop, for ranges (sync-io problems). */
  node: Node;
  /** An awaited async twin that can replace this blocking call. */
  replacement?: Replacement;
  /** Comes from a native addon that wants process isolation (prefork) rather than threads. */
  isolate?: boolean;
  /** The effect was assumed (an awaited call into a package the tables do not know). */
  assumed?: boolean;
}

export type Looping = 'none' | 'trivial' | 'work';

export interface Summary {
  findings: Finding[];
  /** Files the walk read: the task must be re-analysed when one of them changes. */
  files: Set<string>;
  /**
   * How the function loops over data without awaiting: `work` per element (calling it inside another
   * loop multiplies the work), only a `trivial` lookup per element, or not at all.
   */
  loops: Looping;
  /** Why the answer is partial (depth limit, size limit), if it is. */
  partial: string[];
}
