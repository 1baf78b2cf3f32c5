// The threads pool's slot table (a SharedArrayBuffer both sides read without a message): per task
// dispatched, slot i, [2i] the threadId running it (0: not started yet, DONE: finished; written by
// the thread) and [2i + 1] 1 when it was revoked before it started (written by the pool).

/** A task that finished: its outcome travels with its batch's. */
export const DONE = -1;
