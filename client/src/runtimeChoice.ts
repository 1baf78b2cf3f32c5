// Which `tasklane` runtime local workers run. The workspace's own, when it has one installed at a
// version this extension speaks: its workers then behave exactly as they will in production. Else
// the runtime bundled with the extension, so a workspace with no install still runs. A source
// checkout of Tasklane itself (the repository's own examples/) is not an install: it runs only
// through tsx, and its tests are about the bundled runtime.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import bundledManifest from 'tasklane/package.json' with { type: 'json' };

const bundledVersion = bundledManifest.version;

export interface RuntimeChoice {
  kind: 'workspace' | 'bundled';
  version: string;
  /** The CLI file to run with Node. */
  cliPath: string;
  /** Why the bundled one was chosen over the workspace's, when the workspace has one. */
  note?: string;
}

/** Same major, and same minor while the major is 0 (semver's rule for what may break). */
export function compatible(version: string, wanted: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  const [wantedMajor, wantedMinor] = wanted.split('.').map(Number);
  return major === wantedMajor && (major !== 0 || minor === wantedMinor);
}

export function chooseRuntime(workspaceRoot: string, bundledCli: string): RuntimeChoice {
  const bundled: RuntimeChoice = { kind: 'bundled', version: bundledVersion, cliPath: bundledCli };
  let manifest: string;
  try {
    manifest = createRequire(join(workspaceRoot, 'package.json')).resolve('tasklane/package.json');
  } catch {
    return bundled;
  }
  const { version, bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; bin?: { tasklane?: string } };
  if (!bin?.tasklane) return { ...bundled, note: `the workspace's tasklane ${version} has no CLI` };
  if (existsSync(join(dirname(manifest), 'tsconfig.json'))) return { ...bundled, note: `the workspace's tasklane is a source checkout (${dirname(manifest)})` };
  if (!compatible(version, bundledVersion)) {
    return { ...bundled, note: `the workspace's tasklane ${version} does not match this extension's ${bundledVersion}` };
  }
  return { kind: 'workspace', version, cliPath: join(dirname(manifest), bin.tasklane) };
}

/** One line for the Workers view: "runtime: workspace tasklane 0.1.0". */
export function describeRuntime(choice: RuntimeChoice): string {
  return `${choice.kind === 'workspace' ? 'workspace' : 'bundled'} tasklane ${choice.version}`;
}
