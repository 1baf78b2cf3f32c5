// How a monorepo names its own code without relative paths, followed without node_modules:
// tsconfig `paths`/`baseUrl` (through `extends`), workspace packages (package.json "workspaces",
// pnpm-workspace.yaml) by name through their `exports`/`types`/`main`, and build output (`dist`,
// a referenced project's `outDir`) mapped back to the sources it was compiled from.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ts } from 'ts-morph';
import type { Log } from './workspace.ts';

/** `paths` with the folder their targets are relative to. */
interface PathMapping {
  base: string;
  paths: Record<string, string[]>;
  baseUrl?: string;
  outDir?: string;
  rootDir?: string;
}

interface WorkspacePackage {
  dir: string;
  manifest: { exports?: unknown; types?: string; typings?: string; module?: string; main?: string; source?: string };
}

/** How deep a "**" in a workspace glob looks. */
const MAX_GLOB_DEPTH = 4;
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);
/** Folders build output usually lands in, and where its sources usually are. */
const OUTPUT_DIRS = ['dist', 'build', 'lib', 'out'];
/** Export conditions that point at sources or declarations first: they map back to .ts best. */
const PREFERRED_CONDITIONS = ['source', 'types', 'typings', 'import', 'module', 'node', 'require', 'default'];

/** Finds a source file for a path without extension rules applied (Workspace.findModule). */
export type FileFinder = (base: string) => string | undefined;

export class Monorepo {
  private packages: Map<string, WorkspacePackage> | undefined;
  private readonly configs = new Map<string, PathMapping | undefined>();
  /** The folder the analysis root belongs to: the monorepo's root when the root is one of its packages. */
  private readonly top: string;
  private readonly patterns: string[];

  constructor(root: string, private readonly log: Log) {
    const start = statSync(root, { throwIfNoEntry: false })?.isDirectory() ? root : dirname(root);
    const found = findWorkspaceRoot(start);
    // A manifest above the root counts only if the root is inside one of its packages: a folder that
    // merely sits in someone's repository (a fixture, an example) is a project of its own.
    const member = found && (found.dir === start || found.patterns.some((p) => !p.startsWith('!') && expandGlob(found.dir, p).some((dir) => start === dir || start.startsWith(dir + sep))));
    this.top = member ? found.dir : start;
    this.patterns = member ? found.patterns : [];
  }

  /**
   * The source file a non-relative specifier names inside the workspace: by a tsconfig path
   * alias, by baseUrl, or as a workspace package. Undefined for anything else (npm packages).
   */
  resolve(fromFile: string, specifier: string, find: FileFinder): string | undefined {
    const mapping = this.mappingFor(dirname(fromFile));
    if (mapping) {
      for (const target of aliasTargets(mapping, specifier)) {
        const found = find(target) ?? this.fromOutput(target, find);
        if (found) return found;
      }
    }
    const found = this.fromPackage(specifier, find);
    if (found) return found;
    if (mapping?.baseUrl && !specifier.startsWith('@')) return find(join(mapping.baseUrl, specifier));
    return undefined;
  }

  /**
   * The specifier names the workspace's own code (a workspace package, a path alias, a sibling in a
   * workspace package's scope), though resolve() could not reach its source.
   */
  isInternal(fromFile: string, specifier: string): boolean {
    if (/^(~|@|#)\//.test(specifier) || specifier.startsWith('#')) return true;
    const mapping = this.mappingFor(dirname(fromFile));
    if (mapping && aliasTargets(mapping, specifier).length) return true;
    const packages = this.workspacePackages();
    const name = packageName(specifier);
    if (packages.has(name)) return true;
    const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
    return scope !== undefined && [...packages.keys()].some((known) => known.startsWith(`${scope}/`));
  }

  /** A relative import into build output (`../shared/dist/index.js`) whose sources are there instead. */
  fromOutput(base: string, find: FileFinder): string | undefined {
    const parts = base.split(sep);
    for (let i = parts.length - 2; i > 0; i--) {
      if (!OUTPUT_DIRS.includes(parts[i])) continue;
      const project = parts.slice(0, i).join(sep);
      const rest = stripOutputExtension(parts.slice(i + 1).join(sep));
      // The project's own tsconfig says where its output comes from (a referenced project's outDir/rootDir).
      const config = this.mappingFor(project);
      const candidates: string[] = [];
      if (config?.outDir && resolve(config.outDir) === join(project, parts[i])) candidates.push(join(config.rootDir ?? join(project, 'src'), rest));
      candidates.push(join(project, 'src', rest), join(project, rest));
      for (const candidate of candidates) {
        const found = find(candidate);
        if (found) return found;
      }
    }
    return undefined;
  }

  private fromPackage(specifier: string, find: FileFinder): string | undefined {
    const name = packageName(specifier);
    const pkg = this.workspacePackages().get(name);
    if (!pkg) return undefined;
    const subpath = specifier === name ? '.' : `.${specifier.slice(name.length)}`;
    const targets = exportTargets(pkg.manifest.exports, subpath);
    if (pkg.manifest.exports === undefined) {
      if (subpath === '.') {
        const { source, types, typings, module, main } = pkg.manifest;
        targets.push(...[source, types, typings, module, main].filter((t): t is string => typeof t === 'string'), 'index', 'src/index');
      } else targets.push(subpath, `src/${subpath.slice(2)}`);
    }
    for (const target of targets) {
      const path = join(pkg.dir, target);
      const found = this.fromOutput(path, find) ?? find(stripOutputExtension(path)) ?? find(path);
      if (found) return found;
    }
    return undefined;
  }

  /** Workspace packages by name, from the nearest manifest above the root that declares workspaces. */
  private workspacePackages(): Map<string, WorkspacePackage> {
    if (this.packages) return this.packages;
    this.packages = new Map();
    for (const pattern of this.patterns) {
      if (pattern.startsWith('!')) continue;
      for (const dir of expandGlob(this.top, pattern)) {
        const manifest = readJson(join(dir, 'package.json')) as (WorkspacePackage['manifest'] & { name?: string }) | undefined;
        if (manifest?.name && !this.packages.has(manifest.name)) this.packages.set(manifest.name, { dir, manifest });
      }
    }
    if (this.packages.size) this.log(`workspace packages under ${this.top}: ${this.packages.size}`);
    return this.packages;
  }

  /** The path mapping of the nearest tsconfig.json at or above `dir`. */
  private mappingFor(dir: string): PathMapping | undefined {
    if (this.configs.has(dir)) return this.configs.get(dir);
    const file = join(dir, 'tsconfig.json');
    let mapping: PathMapping | undefined;
    if (existsSync(file)) mapping = this.readConfig(file, 0);
    else if (dir !== this.top && dir.startsWith(this.top + sep)) mapping = this.mappingFor(dirname(dir));
    this.configs.set(dir, mapping);
    return mapping;
  }

  /** compilerOptions' paths, baseUrl, outDir and rootDir, through `extends` (a child's own win). */
  private readConfig(file: string, depth: number): PathMapping | undefined {
    const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
    if (error || !config || depth > 8) {
      if (error) this.log(`cannot read ${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
      return undefined;
    }
    const dir = dirname(file);
    const parents = [config.extends ?? []].flat() as string[];
    let mapping: PathMapping = { base: dir, paths: {} };
    for (const parent of parents) {
      const parentFile = this.extendsTarget(dir, parent);
      const inherited = parentFile ? this.readConfig(parentFile, depth + 1) : undefined;
      if (inherited) mapping = { ...mapping, ...inherited };
    }
    const options = (config.compilerOptions ?? {}) as { paths?: Record<string, string[]>; baseUrl?: string; outDir?: string; rootDir?: string };
    if (options.baseUrl !== undefined) mapping.baseUrl = resolve(dir, options.baseUrl);
    if (options.paths) mapping.paths = options.paths;
    // Paths are relative to baseUrl when there is one, else to the config that declares them.
    if (options.paths || options.baseUrl !== undefined) mapping.base = mapping.baseUrl ?? dir;
    if (options.outDir) mapping.outDir = resolve(dir, options.outDir);
    if (options.rootDir) mapping.rootDir = resolve(dir, options.rootDir);
    return mapping;
  }

  private extendsTarget(dir: string, target: string): string | undefined {
    const withJson = (path: string) => existsSync(path) && statSync(path).isFile() ? path : existsSync(`${path}.json`) ? `${path}.json` : undefined;
    if (target.startsWith('.') || isAbsolute(target)) return withJson(resolve(dir, target));
    // A shared config published as a workspace package ("@acme/tsconfig/base.json").
    const name = packageName(target);
    const pkg = this.workspacePackages().get(name);
    const rest = target.slice(name.length + 1) || 'tsconfig.json';
    return pkg ? withJson(join(pkg.dir, rest)) : undefined;
  }
}

/** The nearest folder at or above `start` whose manifest declares workspaces (npm, yarn, pnpm). */
function findWorkspaceRoot(start: string): { dir: string; patterns: string[] } | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const pnpm = join(dir, 'pnpm-workspace.yaml');
    if (existsSync(pnpm)) return { dir, patterns: pnpmPackages(readFileSync(pnpm, 'utf8')) };
    const manifest = readJson(join(dir, 'package.json')) as { workspaces?: string[] | { packages?: string[] } } | undefined;
    const workspaces = Array.isArray(manifest?.workspaces) ? manifest.workspaces : manifest?.workspaces?.packages;
    if (workspaces) return { dir, patterns: workspaces };
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/** Where a path alias sends a specifier: the longest matching pattern's targets. */
function aliasTargets(mapping: PathMapping, specifier: string): string[] {
  let best: { stem: number; targets: string[] } | undefined;
  for (const [pattern, targets] of Object.entries(mapping.paths)) {
    const star = pattern.indexOf('*');
    let matched: string | undefined;
    if (star < 0) matched = pattern === specifier ? '' : undefined;
    else if (specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1) {
      matched = specifier.slice(star, specifier.length - (pattern.length - star - 1));
    }
    if (matched === undefined || (best && best.stem >= star)) continue;
    best = { stem: star < 0 ? Infinity : star, targets: targets.map((t) => resolve(mapping.base, t.replace('*', matched))) };
  }
  return best?.targets ?? [];
}

/** The targets `exports` gives a subpath, best conditions first. */
function exportTargets(exports: unknown, subpath: string): string[] {
  if (exports === undefined || exports === null) return [];
  if (typeof exports === 'string' || Array.isArray(exports)) return subpath === '.' ? conditionTargets(exports) : [];
  const entries = Object.entries(exports as Record<string, unknown>);
  if (!entries.some(([key]) => key.startsWith('.'))) return subpath === '.' ? conditionTargets(exports) : [];
  const exact = (exports as Record<string, unknown>)[subpath];
  if (exact !== undefined) return conditionTargets(exact);
  for (const [key, value] of entries) {
    const star = key.indexOf('*');
    if (star < 0 || !subpath.startsWith(key.slice(0, star)) || !subpath.endsWith(key.slice(star + 1))) continue;
    const matched = subpath.slice(star, subpath.length - (key.length - star - 1));
    return conditionTargets(value).map((t) => t.replaceAll('*', matched));
  }
  return [];
}

function conditionTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(conditionTargets);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => rank(a) - rank(b));
  return keys.flatMap((key) => conditionTargets(record[key]));
}

function rank(condition: string): number {
  const index = PREFERRED_CONDITIONS.indexOf(condition);
  return index < 0 ? PREFERRED_CONDITIONS.length : index;
}

/** "dist/index.d.ts", "dist/index.js" → "dist/index": compiled output named by its source's stem. */
function stripOutputExtension(path: string): string {
  return path.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?js$/, '');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Folders a workspace glob ("packages/*", "apps/**", "tools/cli") names. */
function expandGlob(root: string, pattern: string): string[] {
  let dirs = [root];
  for (const segment of pattern.split('/').filter((s) => s && s !== '.')) {
    const next: string[] = [];
    for (const dir of dirs) {
      if (segment === '**') next.push(dir, ...subdirs(dir, MAX_GLOB_DEPTH));
      else if (segment.includes('*')) {
        const re = new RegExp(`^${segment.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
        next.push(...subdirs(dir, 1).filter((sub) => re.test(relative(dir, sub))));
      } else if (existsSync(join(dir, segment))) next.push(join(dir, segment));
    }
    dirs = next;
  }
  return dirs;
}

function subdirs(dir: string, depth: number): string[] {
  if (depth <= 0) return [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const found: string[] = [];
  for (const name of names) {
    if (SKIPPED.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
    found.push(path, ...subdirs(path, depth - 1));
  }
  return found;
}

/** The `packages:` list of a pnpm-workspace.yaml (the only key that matters here; no YAML parser needed). */
export function pnpmPackages(text: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) { inPackages = true; continue; }
    if (!inPackages) continue;
    const item = /^\s+-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
    if (item) patterns.push(item[1]);
    else if (/^\S/.test(line)) inPackages = false;
  }
  return patterns;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
