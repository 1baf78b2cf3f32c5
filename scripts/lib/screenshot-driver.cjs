// Loaded by VS Code's extension host as the test module (extensionTestsPath) while
// scripts/screenshots.mjs runs: it brings the workbench into each pictured state through the vscode
// API and Tasklane's own commands, then logs "tasklane-screenshot:<name>" (the page console carries
// it to the script, which waits for the state to show and saves <dir>/<name>.png) and waits for that
// file before going on. Plain CommonJS, loaded as is: no build step between it and the host.
// Env: TASKLANE_SCREENSHOTS_DIR, TASKLANE_SCREENSHOTS_PLAN (JSON, see scripts/screenshots.mjs).
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const WAIT_MS = 180_000;

/** Polls `check` until it returns something truthy; rejects with `what` after WAIT_MS. */
async function until(what, check) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`screenshots: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function shoot(name) {
  console.log(`tasklane-screenshot:${name}`);
  await until(`the script to save ${name}.png`, () => fs.existsSync(path.join(process.env.TASKLANE_SCREENSHOTS_DIR, `${name}.png`)));
}

exports.run = async function run() {
  const plan = JSON.parse(process.env.TASKLANE_SCREENSHOTS_PLAN);
  const api = await vscode.extensions.getExtension('tasklane.tasklane').activate();
  await api.ready;
  const task = await until(`the analysis to find ${plan.task}`, () => api.tasks.find(plan.task));

  // The Tasklane sidebar beside the task's code.
  await vscode.commands.executeCommand('tasklane.goToTask', { file: task.file, line: task.line });
  await vscode.commands.executeCommand('workbench.view.extension.tasklane');
  await shoot('sidebar');

  // The code lens over the task, the editor alone.
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await until('the code lens', async () => {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', vscode.Uri.file(task.file));
    return lenses?.some((l) => l.command?.title.includes(task.pool));
  });
  await shoot('codelens');

  // A run: a worker from the config started from the extension, the task sent, its result opened.
  await vscode.commands.executeCommand('tasklane.startWorker', plan.worker);
  await until(`worker ${plan.worker} to beat`, () => api.liveWorkers().some((w) => w.queues.includes(task.routedQueue)));
  const result = await vscode.commands.executeCommand('tasklane.runTask', { name: plan.task, args: plan.args });
  if (result?.state !== 'SUCCESS') throw new Error(`screenshots: ${plan.task} ended ${result?.state}: ${result?.error?.message}`);
  await vscode.commands.executeCommand('workbench.view.extension.tasklane');
  await shoot('run-result');

  // A debug worker paused at a breakpoint in the task, in the pool the plan names.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const line = fs.readFileSync(task.file, 'utf8').split('\n').findIndex((text) => text.includes(plan.breakAt));
  if (line < 0) throw new Error(`screenshots: no line of ${task.file} contains ${JSON.stringify(plan.breakAt)}`);
  const at = new vscode.Location(vscode.Uri.file(task.file), new vscode.Position(line, 0));
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(at)]);
  const debugged = vscode.commands.executeCommand('tasklane.debugTask', { name: plan.task, args: plan.args, pool: plan.debugPool });
  await until('the debugger to stop at the breakpoint', () => vscode.debug.activeStackItem instanceof vscode.DebugStackFrame);
  await shoot('debug-paused');
  await vscode.commands.executeCommand('workbench.action.debug.continue');
  await debugged;
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  await vscode.commands.executeCommand('tasklane.stopAllWorkers');
};
