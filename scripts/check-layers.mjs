#!/usr/bin/env node
// The packages' imports run one way: runtime <- analyzer <- server <- client. TypeScript's project
// references check the types, but a package reached through node_modules is an external library
// to tsc, so a wrong-way import by package name would pass it. This check reads every import of
// every package's src/ and fails on one that leaves the package by a relative path, names a
// package its package.json does not depend on, or points up the layers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest first: a package may import only those before it. */
export const LAYERS = ['runtime', 'analyzer', 'server', 'client'];

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm;

/** The specifiers a source file imports (static, dynamic with a literal, side-effect). */
export function importsOf(text) {
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...stripped.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Problems of one file of package `layer` (a folder under `root`): each a sentence naming the
 * import and what to do instead.
 */
export function checkFile(root, layer, file, text, manifests) {
  const problems = [];
  const own = manifests[layer];
  const allowed = new Set(Object.keys({ ...own.dependencies, ...own.peerDependencies, ...own.optionalDependencies }));
  const byName = Object.fromEntries(LAYERS.map((l) => [manifests[l].name, l]));
  for (const specifier of importsOf(text)) {
    const where = `${relative(root, file)}: import '${specifier}'`;
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(join(root, layer) + sep)) {
        problems.push(`${where} leaves the ${layer} package: import the other package by its name (${LAYERS.slice(0, LAYERS.indexOf(layer)).map((l) => manifests[l].name).join(', ') || 'none may be imported'})`);
      }
      continue;
    }
    if (specifier.startsWith('node:') || builtinModules.includes(specifier) || specifier === 'vscode') continue;
    const name = packageName(specifier);
    const target = byName[name];
    // A package may name itself (Node's self-reference through its exports): not a wrong-way import.
    if (target === layer) continue;
    if (target && LAYERS.indexOf(target) >= LAYERS.indexOf(layer)) {
      problems.push(`${where}: ${layer} may not import ${target} (imports run ${LAYERS.join(' <- ')})`);
    } else if (!allowed.has(name)) {
      problems.push(`${where}: ${name} is not a dependency of ${own.name}: add it to ${layer}/package.json or import it where it is one`);
    }
  }
  return problems;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(m|c)?[jt]s$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function checkLayers(root) {
  const manifests = Object.fromEntries(LAYERS.map((l) => [l, JSON.parse(readFileSync(join(root, l, 'package.json'), 'utf8'))]));
  return LAYERS.flatMap((layer) => sourceFiles(join(root, layer, 'src'))
    .flatMap((file) => checkFile(root, layer, file, readFileSync(file, 'utf8'), manifests)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkLayers(fileURLToPath(new URL('..', import.meta.url)));
  for (const problem of problems) console.error(`layers: ${problem}`);
  if (problems.length) process.exit(1);
  console.log(`layers: ${LAYERS.join(' <- ')}: every import runs one way`);
}
