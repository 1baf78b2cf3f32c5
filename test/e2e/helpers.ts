// What the e2e suites share: waiting for a state, and the first breakpoint stop of any debug session.
import * as vscode from 'vscode';

/** Polls `probe` until it returns a truthy value; fails with what was awaited. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  /** The top frame's source path and 1-based line. */
  path: string;
  line: number;
}

/** Resolves at the next stop on a breakpoint in any session (js-debug gives threads and children their own). */
export function nextBreakpointStop(): Promise<Stop> {
  return new Promise((resolve) => {
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: async (message: { type: string; event?: string; body?: { threadId: number; reason: string } }) => {
          if (message.type !== 'event' || message.event !== 'stopped' || message.body?.reason !== 'breakpoint') return;
          const trace = await session.customRequest('stackTrace', { threadId: message.body.threadId, startFrame: 0, levels: 1 });
          const top = trace.stackFrames[0];
          tracker.dispose();
          resolve({ session, threadId: message.body.threadId, path: top.source?.path ?? '', line: top.line });
        },
      }),
    });
  });
}
