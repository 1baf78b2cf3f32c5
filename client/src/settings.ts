import * as vscode from 'vscode';

/** The extension's settings for one workspace folder (`tasklane.*`). */
export interface Settings {
  /** Empty: the config's broker, else the embedded one. Never holds the password (SecretStorage does). */
  brokerUrl: string;
  nodePath: string;
  /** The Redis of BullMQ Workers whose connection the analysis cannot read (password in SecretStorage). */
  bullmqRedisUrl: string;
}

export function readSettings(folder?: vscode.WorkspaceFolder): Settings {
  const c = vscode.workspace.getConfiguration('tasklane', folder);
  return {
    brokerUrl: c.get<string>('brokerUrl', '').trim(),
    nodePath: c.get<string>('nodePath', 'node').trim() || 'node',
    bullmqRedisUrl: c.get<string>('bullmq.redisUrl', '').trim(),
  };
}
