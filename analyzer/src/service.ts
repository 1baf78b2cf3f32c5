// The AnalysisService: a workspace of parsed files, the tasks found in them, and each task's
// verdict and suggestion. Incremental: an edit re-parses one file, re-discovers tasks in it and
// the files that import it, and re-analyses the tasks whose walk read it; the config file only
// re-derives suggestions. Every step is guarded: broken code costs a logged reason, not the answer.
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Node } from 'ts-morph';
import { CONFIG_FILE, ConfigError, findConfig, parseConfig, type TasklaneConfig } from 'tasklane/config';
import { configErrorRange } from './config-range.ts';
import { discoverTasks, mayDeclareTasks, type FoundTask } from './discover.ts';
import { findSchedules, mayDeclareSchedules } from './schedules.ts';
import { Resolver } from './resolve.ts';
import { suggest } from './suggest.ts';
import { TypeOrigins } from './type-origins.ts';
import { DEFAULT_MAX_DEPTH, Summarizer } from './summarize.ts';
import type { AnalysisService, Evidence, Problem, Range, ScheduleFound, TaskAnalysis } from './types.ts';
import { verdictOf, type Verdict } from './verdict.ts';
import { isSourcePath, Workspace, type Log } from './workspace.ts';
import { bindingName, bullmqWorker } from './worker-facts.ts';

export interface AnalysisServiceOptions {
  /** The workspace folder (or a single file) to analyse. */
  root: string;
  log?: Log;
  /** How many calls deep helpers are followed (default 8). */
  maxDepth?: number;
  /** The core count suggestions use (default: this machine's). */
  cores?: number;
  /** Ask the type checker where syntax loses the trail (default: when node_modules is installed). */
  types?: boolean;
}

/** One task's analysis before the config is applied: what the config changes is re-derived cheaply. */
interface Analysed {
  found: FoundTask;
  verdict: Verdict;
  /** Files the walk read. */
  files: Set<string>;
  syncProblems: Problem[];
}

export function createAnalysisService(options: AnalysisServiceOptions): AnalysisService {
  return new Service(options);
}

class Service implements AnalysisService {
  private readonly root: string;
  private readonly log: Log;
  private readonly cores: number;
  private readonly workspace: Workspace;
  private readonly resolver: Resolver;
  private readonly summarizer: Summarizer;
  /** Tasks by the file that declares them. */
  private readonly analysed = new Map<string, Analysed[]>();
  private results = new Map<string, TaskAnalysis[]>();
  private configPath: string | undefined;
  private config: TasklaneConfig | undefined;
  private configProblems: Problem[] = [];
  /** Built on demand from the results; dropped whenever they change. */
  private problemIndex: Map<string, Problem[]> | undefined;

  constructor(options: AnalysisServiceOptions) {
    this.root = resolve(options.root);
    this.log = options.log ?? (() => {});
    this.cores = options.cores ?? availableParallelism();
    this.workspace = new Workspace(this.root, this.log);
    const folder = statSync(this.root, { throwIfNoEntry: false })?.isDirectory() ? this.root : dirname(this.root);
    this.resolver = new Resolver(this.workspace, options.types === false ? undefined : new TypeOrigins(folder, this.log));
    this.summarizer = new Summarizer(this.resolver, options.maxDepth ?? DEFAULT_MAX_DEPTH);
    this.configPath = existsSync(join(folder, CONFIG_FILE)) ? join(folder, CONFIG_FILE) : findConfig(folder);
  }

  analyzeAll(): TaskAnalysis[] {
    this.loadConfig(undefined);
    // Only files that may declare tasks are parsed now; helpers are parsed when a task's walk reaches
    // them (files nothing reaches, such as tests and UI code, cost a read, not a parse).
    for (const file of this.workspace.listSourceFiles()) {
      const text = this.workspace.read(file);
      if (text !== undefined && (mayDeclareTasks(text) || mayDeclareSchedules(text))) this.guard(`parsing ${file}`, () => this.workspace.set(file, text));
    }
    this.summarizer.clear();
    this.analysed.clear();
    for (const file of this.workspace.paths()) this.analyseFile(file);
    this.deriveAll();
    return this.tasks();
  }

  updateFile(file: string, text: string | undefined): string[] {
    const path = resolve(file);
    if (path === this.configPath || (basename(path) === CONFIG_FILE && dirname(path) === this.root)) {
      this.configPath = path;
      this.loadConfig(text);
      this.deriveAll();
      return [path, ...this.analysed.keys()];
    }
    if (!isSourcePath(path)) return [];
    const before = this.affectedBy(path);
    const isNew = !this.workspace.has(path);
    this.guard(`parsing ${path}`, () => this.workspace.set(path, text));
    const affected = this.reanalyse(path, before);
    // A new file completes imports that failed before: their files are re-read as if edited.
    if (isNew) {
      for (const waiting of this.workspace.waitingFor(path)) {
        const again = this.affectedBy(waiting);
        this.guard(`parsing ${waiting}`, () => this.workspace.set(waiting, this.workspace.get(waiting)!.sourceFile.getFullText()));
        affected.push(...this.reanalyse(waiting, again));
      }
    }
    return [...new Set(affected)];
  }

  removeFile(file: string): string[] {
    const path = resolve(file);
    if (path === this.configPath) {
      this.configPath = undefined;
      this.loadConfig(undefined);
      this.deriveAll();
      return [path, ...this.analysed.keys()];
    }
    const before = this.affectedBy(path);
    const importers = this.workspace.importersOf(path);
    this.workspace.delete(path);
    this.analysed.delete(path);
    return this.reanalyse(path, before, importers);
  }

  tasks(): TaskAnalysis[] {
    return [...this.results.values()].flat().sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  }

  schedules(): ScheduleFound[] {
    // `task: resize` names the task whose app.task(...) call `resize` holds.
    const tasksByBinding = new Map<string, string>();
    for (const { found } of [...this.analysed.values()].flat()) {
      const holder = found.call.getParent();
      if (found.framework === 'tasklane' && Node.isVariableDeclaration(holder)) tasksByBinding.set(holder.getName(), found.name);
    }
    return this.workspace.paths().sort().flatMap((file) => this.guard(`finding schedules in ${file}`,
      () => findSchedules(this.workspace.get(file)!.sourceFile, this.resolver, (binding) => tasksByBinding.get(binding))) ?? []);
  }

  problems(file: string): Problem[] {
    const path = resolve(file);
    if (path === this.configPath) return this.configProblems;
    if (!this.problemIndex) {
      // Problems by file; one sync-io problem per call site, however many tasks reach it.
      const index = new Map<string, Problem[]>();
      const seen = new Set<string>();
      for (const task of this.tasks()) {
        for (const problem of task.problems) {
          const r = problem.range;
          const key = `${r.file}:${problem.code}:${r.startLine}:${r.startColumn}:${problem.code === 'sync-io' ? '' : problem.task}`;
          if (seen.has(key)) continue;
          seen.add(key);
          let list = index.get(r.file);
          if (!list) index.set(r.file, list = []);
          list.push(problem);
        }
      }
      this.problemIndex = index;
    }
    return this.problemIndex.get(path) ?? [];
  }

  /**
   * Re-discovers tasks in `path` and the files importing it (a task's name, app or options may come
   * from there), and re-analyses every task whose walk read `path`: not the whole reverse import
   * graph, which through a barrel module is often the whole workspace.
   */
  private reanalyse(path: string, before: Set<string>, importers = this.workspace.importersOf(path)): string[] {
    this.summarizer.invalidate(path);
    const declaring = new Set<string>([path, ...importers]);
    for (const [file, tasks] of this.analysed) {
      if (tasks.some((task) => task.files.has(path))) declaring.add(file);
    }
    for (const file of declaring) {
      if (this.workspace.has(file)) this.analyseFile(file);
      else { this.analysed.delete(file); this.results.delete(file); }
    }
    for (const file of declaring) this.derive(file);
    const affected = new Set([...before, ...this.affectedBy(path), path]);
    return [...affected];
  }

  /** Files whose problems depend on `path`: declaring files of tasks that read it, and everything those tasks read. */
  private affectedBy(path: string): Set<string> {
    const affected = new Set<string>();
    for (const [file, tasks] of this.analysed) {
      if (file !== path && !tasks.some((task) => task.files.has(path))) continue;
      affected.add(file);
      for (const task of tasks) for (const read of task.files) affected.add(read);
    }
    return affected;
  }

  private analyseFile(file: string): void {
    const entry = this.workspace.get(file);
    if (!entry) return;
    const found = this.guard(`finding tasks in ${file}`, () => discoverTasks(entry, this.resolver, this.workspace)) ?? [];
    const tasks: Analysed[] = [];
    for (const task of found) {
      const analysed = this.guard(`analysing task '${task.name}' (${file}:${task.line})`, () => this.analyseTask(task));
      if (analysed) tasks.push(analysed);
    }
    if (tasks.length) this.analysed.set(file, tasks);
    else this.analysed.delete(file);
  }

  private analyseTask(found: FoundTask): Analysed {
    const notes: Evidence[] = [];
    const files = new Set([found.file, ...found.reads]);
    const summary = found.handler ? this.summarizer.summarize(found.handler) : undefined;
    for (const read of summary?.files ?? []) files.add(read);
    if (found.bullmq?.processorFile) files.add(found.bullmq.processorFile);
    const reasons = [...new Set([...(found.unresolved ? [found.unresolved] : []), ...(summary?.partial ?? [])])];
    for (const reason of reasons) {
      this.log(`task '${found.name}' (${found.file}:${found.line}): partial analysis: ${reason}`);
      notes.push({ kind: 'info', message: `Partial analysis: ${reason}.`, file: found.file, line: found.line });
    }
    const findings = summary?.findings ?? [];
    const verdict = verdictOf(findings, notes, found);
    const syncProblems: Problem[] = [];
    for (const finding of findings) {
      if (!finding.replacement) continue;
      syncProblems.push({
        code: 'sync-io',
        severity: 'warning',
        message: `${finding.message}.`,
        range: rangeOf(finding.node),
        task: found.name,
        data: { replacement: finding.replacement },
      });
    }
    return { found, verdict, files, syncProblems };
  }

  private deriveAll(): void {
    this.problemIndex = undefined;
    this.results = new Map();
    for (const file of this.analysed.keys()) this.derive(file);
  }

  /** Applies the config to a file's analysed tasks. */
  private derive(file: string): void {
    this.problemIndex = undefined;
    const tasks = this.analysed.get(file);
    if (!tasks) { this.results.delete(file); return; }
    this.results.set(file, tasks.map(({ found, verdict, syncProblems }) => {
      const bullmq = found.bullmq && bullmqWorker(found, this.resolver);
      const s = suggest(found, verdict, this.config, this.cores, rangeOf(found.anchor), bullmq);
      const binding = bindingName(found.call);
      return {
        name: found.name,
        framework: found.framework,
        ...(binding && { binding }),
        file: found.file,
        line: found.line,
        range: rangeOf(found.call),
        kind: verdict.kind,
        blocking: verdict.blocking,
        pool: s.pool,
        concurrency: s.concurrency,
        queue: s.queue,
        routedQueue: s.routedQueue,
        ...(s.routedPool && { routedPool: s.routedPool }),
        summary: s.summary,
        breakdown: verdict.breakdown,
        evidence: verdict.evidence,
        problems: [...s.problems, ...syncProblems],
        ...(found.framework === 'tasklane' && found.handler && {
          parameters: found.handler.getParameters().map((p) => ({
            name: p.getName(),
            type: p.getTypeNode()?.getText(),
            optional: p.hasQuestionToken() || p.hasInitializer(),
            rest: p.isRestParameter(),
          })),
        }),
        ...(bullmq && { bullmq }),
      };
    }));
  }

  private loadConfig(text: string | undefined): void {
    this.config = undefined;
    this.configProblems = [];
    const path = this.configPath;
    if (!path) return;
    let source = text;
    try {
      source ??= readFileSync(path, 'utf8');
      this.config = parseConfig(source, path);
    } catch (error) {
      const message = error instanceof ConfigError ? error.message.slice(path.length + 2) : (error as Error).message;
      const field = error instanceof ConfigError ? error.field : '';
      this.log(`${path}: ${message}`);
      this.configProblems = [{
        code: 'config-error',
        severity: 'error',
        message: `${CONFIG_FILE}: ${message}`,
        range: configErrorRange(path, source ?? '', field),
      }];
    }
  }

  private guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.log(`${what} failed, skipped: ${(error as Error).stack ?? error}`);
      return undefined;
    }
  }
}

export function rangeOf(node: Node): Range {
  const sourceFile = node.getSourceFile();
  const start = sourceFile.compilerNode.getLineAndCharacterOfPosition(node.getStart());
  const end = sourceFile.compilerNode.getLineAndCharacterOfPosition(node.getEnd());
  return { file: sourceFile.getFilePath(), startLine: start.line + 1, startColumn: start.character, endLine: end.line + 1, endColumn: end.character };
}
