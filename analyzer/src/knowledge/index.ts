// Lookups over the knowledge tables: which fact applies to a call into a module or a global.
import type { ApiFact, ModuleFacts } from './effects.ts';
import { globals } from './globals.ts';
import { nodeBuiltins } from './node-builtins.ts';
import { packages } from './packages.ts';

export { DEFAULT_COST } from './effects.ts';
export type { ApiFact, Cost, Effect, ModuleFacts, Replacement } from './effects.ts';

export interface ModuleMatch {
  facts: ModuleFacts;
  /** The module's name as the tables know it ("fs", "pg", "@aws-sdk/client-s3"). */
  name: string;
  builtin: boolean;
}

/** The facts for an import specifier: "node:fs", "fs", "pg", "@aws-sdk/client-s3", "lodash/fp". */
export function findModule(specifier: string): ModuleMatch | undefined {
  const name = specifier.replace(/^node:/, '');
  if (Object.hasOwn(nodeBuiltins, name)) return { facts: nodeBuiltins[name], name, builtin: true };
  if (Object.hasOwn(packages, name)) return { facts: packages[name], name, builtin: false };
  // "@scope/pkg/sub" → "@scope/pkg" → "@scope/*"; "pkg/sub" → "pkg" → "pkg/*".
  const parts = name.split('/');
  const packageName = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (const key of [packageName, `${packageName}/*`, `${parts[0]}/*`]) {
    if (Object.hasOwn(packages, key)) return { facts: packages[key], name: packageName, builtin: false };
  }
  return undefined;
}

/**
 * The fact for a call reaching `path` inside a module (e.g. ["promises", "readFile"] in fs, or
 * ["Pool", "query"] in pg): the most specific member named on the path, else the module's default.
 * A constructor call (`new Pool()`) only counts when the table names it: building a client does no work.
 */
export function moduleFact(facts: ModuleFacts, path: string[], isConstructor: boolean): ApiFact | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    // Own entries only: a call named `toString` must not find Object.prototype's.
    const member = facts.members && Object.hasOwn(facts.members, path[i]) ? facts.members[path[i]] : undefined;
    // A call on what a member returned (readFileSync(...).replace()) is the member's only if it chains.
    if (member) return i === path.length - 1 || member.chain ? member : undefined;
  }
  return isConstructor ? undefined : facts.default;
}

/** The fact for a global call such as `fetch(...)`, `JSON.parse(...)`, `crypto.subtle.digest(...)`. */
export function globalFact(path: string[]): ApiFact | undefined {
  for (let i = path.length; i > 0; i--) {
    const key = path.slice(0, i).join('.');
    const fact = Object.hasOwn(globals, key) ? globals[key] : undefined;
    if (fact) return i === path.length || fact.chain ? fact : undefined;
  }
  return undefined;
}

