// The server's log: the client's Output channel (window/logMessage through connection.console).
// stdout is the protocol under --stdio, so nothing else may print there.
import type { RemoteConsole } from 'vscode-languageserver';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** A failure the server survived: the message, then the stack for whoever debugs it. */
  error(message: string, error?: unknown): void;
}

export function createLog(console: RemoteConsole): Log {
  return {
    info: (message) => console.info(message),
    warn: (message) => console.warn(message),
    error: (message, error) => {
      const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error === undefined ? '' : `: ${String(error)}`;
      console.error(`${message}${detail}`);
    },
  };
}
