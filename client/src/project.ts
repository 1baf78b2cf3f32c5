import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE, loadConfig, type LoadedConfig } from 'tasklane/config';

/**
 * The workspace folder Tasklane works in and its tasklane.config.json, loaded and validated by the
 * runtime's own config module and reloaded when the file changes. Sets the `tasklane.hasConfig`
 * context key the views' empty states use.
 */
export class Project implements vscode.Disposable {
  loaded: LoadedConfig | undefined;
  /** Why the config could not be used (invalid JSON, a bad field), when it exists. */
  error: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(readonly folder: vscode.WorkspaceFolder) {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_FILE));
    for (const event of [this.watcher.onDidCreate, this.watcher.onDidChange, this.watcher.onDidDelete]) {
      event(() => this.reload());
    }
    this.reload();
  }

  get root(): string {
    return this.folder.uri.fsPath;
  }

  get configPath(): string {
    return join(this.root, CONFIG_FILE);
  }

  get exists(): boolean {
    return existsSync(this.configPath);
  }

  workerNames(): string[] {
    return Object.keys(this.loaded?.config.workers ?? {});
  }

  reload(): void {
    this.loaded = undefined;
    this.error = undefined;
    if (this.exists) {
      try {
        this.loaded = loadConfig(this.configPath);
      } catch (error) {
        this.error = (error as Error).message;
      }
    }
    void vscode.commands.executeCommand('setContext', 'tasklane.hasConfig', this.exists);
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** The folder holding tasklane.config.json, else the first one. */
export function pickFolder(): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.find((f) => existsSync(join(f.uri.fsPath, CONFIG_FILE))) ?? folders[0];
}
