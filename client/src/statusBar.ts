import * as vscode from 'vscode';

export interface StatusSources {
  broker(): { url: string; error?: string };
  workersRunning(): number;
  inFlight(): number;
}

/** One item: broker, workers running, tasks in flight; click opens the Tasklane sidebar. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tasklane.status', vscode.StatusBarAlignment.Left, 10);

  constructor(private readonly sources: StatusSources) {
    this.item.name = 'Tasklane';
    this.item.command = 'workbench.view.extension.tasklane';
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    const { url, error } = this.sources.broker();
    const workers = this.sources.workersRunning();
    const inFlight = this.sources.inFlight();
    const scheme = /^(\w+):/.exec(url)?.[1] ?? url;
    this.item.text = `$(${error ? 'warning' : 'server-process'}) ${scheme === 'file' ? 'embedded' : scheme} · ${workers} worker${workers === 1 ? '' : 's'} · ${inFlight} in flight`;
    this.item.tooltip = `Tasklane\nbroker: ${url}${error ? `\n${error}` : ''}\nworkers running: ${workers}\ntasks in flight: ${inFlight}`;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
