// The files under analysis: parsed once with ts-morph (syntax only, no type checker, so an edit
// costs one re-parse), their import bindings, and the import graph both ways.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Node, Project, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import { Monorepo } from './monorepo.ts';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'coverage', '.tasklane', '.vscode-test']);
/** Bigger files are generated or vendored: parsing them would cost seconds and say nothing about tasks. */
export const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 20_000;

/** `import { a as b } from 'x'` → local "b": { specifier: "x", name: "a" }; default → "default", namespace → "*". */
export interface ImportBinding {
  specifier: string;
  name: string;
}

export interface FileEntry {
  path: string;
  sourceFile: SourceFile;
  imports: Map<string, ImportBinding>;
  /** Workspace files this one imports or re-exports from. */
  deps: Set<string>;
}

export type Log = (message: string) => void;

export class Workspace {
  private readonly project = new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    // Only used when node_modules is there (type-origins.ts): resolve packages as bundlers and Node do.
    compilerOptions: {
      allowJs: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [],
      module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    },
  });
  private readonly files = new Map<string, FileEntry>();
  private readonly importers = new Map<string, Set<string>>();
  /** Module resolutions by "<folder>\0<specifier>"; cleared when the set of files changes. */
  private readonly resolutions = new Map<string, string | undefined>();
  /** Unresolved relative imports: the path they name without extension → the files importing it. */
  private readonly misses = new Map<string, Set<string>>();
  private readonly monorepo: Monorepo;

  constructor(readonly root: string, private readonly log: Log) {
    this.monorepo = new Monorepo(root, log);
  }

  /** Every source file under the root (node_modules and build output skipped). */
  listSourceFiles(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      let names: string[];
      try { names = readdirSync(dir); } catch (error) { this.log(`cannot list ${dir}: ${(error as Error).message}`); return; }
      for (const name of names) {
        if (found.length >= MAX_FILES) { this.log(`stopped listing at ${MAX_FILES} files`); return; }
        const path = join(dir, name);
        let stat;
        try { stat = statSync(path); } catch { continue; }
        if (stat.isDirectory()) {
          if (!SKIPPED_DIRS.has(name) && !name.startsWith('.')) walk(path);
        } else if (isSourcePath(path)) found.push(path);
      }
    };
    if (statSync(this.root).isDirectory()) walk(this.root);
    else found.push(this.root);
    return found.sort();
  }

  has(path: string): boolean { return this.files.has(path); }
  get(path: string): FileEntry | undefined { return this.files.get(path); }
  paths(): string[] { return [...this.files.keys()]; }

  /** Parses a file from its text, or from disk when text is undefined. False when it cannot be read or is too big. */
  set(path: string, text: string | undefined): boolean {
    text ??= this.read(path);
    if (text === undefined || text.length > MAX_FILE_BYTES) {
      if (text !== undefined) this.log(`skipped ${path}: larger than ${MAX_FILE_BYTES} bytes`);
      this.delete(path);
      return false;
    }
    if (!this.files.has(path)) this.resolutions.clear();
    const sourceFile = this.project.createSourceFile(path, text, { overwrite: true });
    this.unlinkDeps(path);
    const entry: FileEntry = { path, sourceFile, imports: new Map(), deps: new Set() };
    this.index(entry);
    this.files.set(path, entry);
    for (const dep of entry.deps) {
      let set = this.importers.get(dep);
      if (!set) this.importers.set(dep, set = new Set());
      set.add(path);
    }
    return true;
  }

  /** A file's text from disk; undefined (with a logged reason) when unreadable or too big to be hand-written code. */
  read(path: string): string | undefined {
    try {
      if (statSync(path).size > MAX_FILE_BYTES) { this.log(`skipped ${path}: larger than ${MAX_FILE_BYTES} bytes`); return undefined; }
      return readFileSync(path, 'utf8');
    } catch (error) {
      this.log(`cannot read ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  delete(path: string): void {
    const entry = this.files.get(path);
    if (!entry) return;
    this.unlinkDeps(path);
    this.project.removeSourceFile(entry.sourceFile);
    this.files.delete(path);
    this.resolutions.clear();
  }

  /** Files that import (or re-export from) `path`. */
  importersOf(path: string): Set<string> {
    return new Set(this.importers.get(path));
  }

  /**
   * The workspace file a specifier names: relative or absolute paths with TypeScript's extension
   * rules, and the monorepo's own names (path aliases, workspace packages). Undefined for packages.
   */
  resolveModule(fromFile: string, specifier: string): string | undefined {
    const key = `${dirname(fromFile)}\0${specifier}`;
    if (this.resolutions.has(key)) return this.resolutions.get(key);
    const find = (base: string) => this.findModule(base);
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
      const resolved = specifier.startsWith('node:') ? undefined : this.monorepo.resolve(fromFile, specifier, find);
      this.resolutions.set(key, resolved);
      return resolved;
    }
    const base = resolve(dirname(fromFile), specifier);
    const resolved = this.findModule(base) ?? this.monorepo.fromOutput(base, find);
    this.resolutions.set(key, resolved);
    if (!resolved) {
      const stem = stemOf(base);
      let waiting = this.misses.get(stem);
      if (!waiting) this.misses.set(stem, waiting = new Set());
      waiting.add(fromFile);
    }
    return resolved;
  }

  /** A specifier that names the workspace's own code, though its source was not found. */
  isInternal(fromFile: string, specifier: string): boolean {
    return specifier.startsWith('.') || specifier.startsWith('/') || this.monorepo.isInternal(fromFile, specifier);
  }

  /** Files that tried to import `path` before it existed: a new file may complete them. */
  waitingFor(path: string): Set<string> {
    const waiting = new Set<string>();
    const keys = [stemOf(path)];
    if (/^index\.[cm]?[jt]sx?$/.test(basename(path))) keys.push(dirname(path));
    for (const key of keys) {
      for (const file of this.misses.get(key) ?? []) if (this.files.has(file)) waiting.add(file);
      this.misses.delete(key);
    }
    return waiting;
  }

  private findModule(base: string): string | undefined {
    const stem = stemOf(base);
    const candidates = [base];
    for (const e of SOURCE_EXTENSIONS) candidates.push(stem + e);
    for (const e of SOURCE_EXTENSIONS) candidates.push(join(base, 'index' + e));
    for (const candidate of candidates) {
      if (this.files.has(candidate)) return candidate;
    }
    for (const candidate of candidates) {
      if (isSourcePath(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }

  private unlinkDeps(path: string): void {
    for (const dep of this.files.get(path)?.deps ?? []) this.importers.get(dep)?.delete(path);
  }

  /** Import bindings and dependencies, from the top-level statements (plus require/import() calls anywhere). */
  private index(entry: FileEntry): void {
    const addDep = (specifier: string): void => {
      const target = this.resolveModule(entry.path, specifier);
      if (target) entry.deps.add(target);
    };
    for (const statement of entry.sourceFile.getStatements()) {
      if (Node.isImportDeclaration(statement)) {
        const specifier = statement.getModuleSpecifierValue();
        addDep(specifier);
        const clause = statement.getImportClause();
        if (!clause) continue;
        const def = clause.getDefaultImport();
        if (def) entry.imports.set(def.getText(), { specifier, name: 'default' });
        const ns = clause.getNamespaceImport();
        if (ns) entry.imports.set(ns.getText(), { specifier, name: '*' });
        for (const named of clause.getNamedImports()) {
          const local = named.getAliasNode()?.getText() ?? named.getName();
          entry.imports.set(local, { specifier, name: named.getName() });
        }
      } else if (Node.isImportEqualsDeclaration(statement)) {
        const ref = statement.getModuleReference();
        if (Node.isExternalModuleReference(ref)) {
          const specifier = ref.getExpression()?.getText().slice(1, -1) ?? '';
          addDep(specifier);
          entry.imports.set(statement.getName(), { specifier, name: '*' });
        }
      } else if (Node.isExportDeclaration(statement)) {
        const specifier = statement.getModuleSpecifierValue();
        if (specifier) addDep(specifier);
      }
    }
    // CommonJS and dynamic imports: `require('./x')`, `import('./x')` — dependencies only; bindings are
    // resolved where they are used (resolve.ts).
    const text = entry.sourceFile.getFullText();
    if (text.includes('require(') || text.includes('import(')) {
      entry.sourceFile.forEachDescendant((node) => {
        if (!Node.isCallExpression(node)) return;
        const callee = node.getExpression();
        const isRequire = Node.isIdentifier(callee) && callee.getText() === 'require';
        if (!isRequire && callee.getKind() !== SyntaxKind.ImportKeyword) return;
        const arg = node.getArguments()[0];
        if (arg && Node.isStringLiteral(arg)) addDep(arg.getLiteralValue());
      });
    }
  }
}

/** "/a/b.js" and "/a/b.ts" → "/a/b": how a specifier and the file it names meet. */
function stemOf(path: string): string {
  const ext = extname(path);
  return SOURCE_EXTENSIONS.includes(ext) ? path.slice(0, -ext.length) : path;
}

export function isSourcePath(path: string): boolean {
  return SOURCE_EXTENSIONS.includes(extname(path)) && !/\.d\.[cm]?ts$/.test(path);
}
