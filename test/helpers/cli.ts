// The `tasklane` command as tests run it: one command to completion, or a worker process left
// running once it says it is online.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const bin = join(__dirname, '../../runtime/bin/tasklane.mjs');

export interface CliPlace {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function tasklaneCli(args: string[], { cwd, env }: CliPlace): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `tasklane worker ...args`, resolved once it logs that it is online (its stderr is the test's). */
export async function startWorkerProcess(args: string[], { cwd, env }: CliPlace): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'worker', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) if (/\] online: /.test(line)) break;
  child.stdout!.resume();
  return child;
}
