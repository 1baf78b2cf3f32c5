import * as vscode from 'vscode';

/**
 * Restricted Mode: analysis stays on (it only reads code), but running a task, starting a worker or
 * debugging one executes the workspace's code, so those refuse with a message saying why.
 */
export class Trust {
  /** Tests set this to simulate an untrusted window: code-server's test host runs with trust disabled. */
  simulateUntrusted = false;

  get trusted(): boolean {
    return vscode.workspace.isTrusted && !this.simulateUntrusted;
  }

  /** True when `action` may run; otherwise shows why not and returns false. */
  check(action: string): boolean {
    if (this.trusted) return true;
    const message = `Tasklane: cannot ${action} in Restricted Mode. This workspace is not trusted, and doing so would execute its code. ` +
      'Trust the workspace (Manage Workspace Trust) to run tasks, start workers and debug them; analysis works without it.';
    void vscode.window.showErrorMessage(message, 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }
}
