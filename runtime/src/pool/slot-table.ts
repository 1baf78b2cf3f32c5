// The threads pool's slot table (a SharedArrayBuffer both sides read without a message): per task
// dispatched, the threadId running it, 0 before it started, DONE once finished. A thread claims a
// task (0 -> its threadId) and the pool takes one back (0 -> WITHDRAWN: for an idle thread, or
// revoked) by compare-and-exchange, so exactly one of them wins.

/** A task that finished: its outcome travels with its batch's. */
export const DONE = -1;

/** A task queued behind a busy thread's run, taken back before it started to run on an idle thread. */
export const WITHDRAWN = -2;
