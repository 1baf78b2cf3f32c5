// The Runs view's Revoke and Terminate: the runtime's revoke (tasklane/contract's revokeTask, the
// one `tasklane revoke` runs) through the editor's broker connection. Refused in Restricted Mode,
// as every action that acts on the workspace's workers.
import * as vscode from 'vscode';
import { revokeTask } from 'tasklane/contract';
import type { BrokerConnection } from './brokerConnection.ts';
import { isRevocable, type Run } from './runs.ts';
import type { Trust } from './trust.ts';

/** Resolves true once the revocation is on the broker; the run's REVOKED end comes as an event. */
export async function revokeRun(deps: { trust: Trust; connection: BrokerConnection }, run: Run, terminate: boolean): Promise<boolean> {
  if (!deps.trust.check(terminate ? 'terminate a task' : 'revoke a task')) return false;
  if (!isRevocable(run)) {
    void vscode.window.showInformationMessage(`Tasklane: ${run.task} [${run.id.slice(0, 8)}] has already ended (${run.state.toLowerCase()}): there is nothing to revoke.`);
    return false;
  }
  await revokeTask(await deps.connection.connect(), run.id, { terminate });
  const what = run.state === 'STARTED' ? (terminate ? 'killing the thread or child that runs it' : 'aborting its signal') : 'it will not run';
  void vscode.window.showInformationMessage(`Tasklane: revoked ${run.task} [${run.id.slice(0, 8)}]: ${what}.`);
  return true;
}
