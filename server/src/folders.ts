// Workspace folders, each with its own settings and its own AnalysisService (a folder is a
// project: its own tasklane.config.json, its own import graph). Every call into the analyzer goes
// through here and is guarded: broken code must cost a logged reason and a partial answer, never
// the server.
import { sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnalysisService, type AnalysisService, type Problem, type ScheduleFound, type TaskAnalysis } from '@tasklane/analyzer';
import type { MeasuredSummary } from 'tasklane/contract';
import type { Log } from './log.ts';
import { pathOf } from './paths.ts';
import { DEFAULT_SETTINGS, type Settings } from './settings.ts';

export class Folder {
  settings: Settings = DEFAULT_SETTINGS;
  /** What each task's recorded runs measured, by task name (from the extension: tasklane/measured). */
  measured = new Map<string, MeasuredSummary>();
  private service: AnalysisService | undefined;
  /** The task list as last announced to the client, to tell when it changed. */
  private announced = '';

  constructor(readonly uri: string, readonly root: string, readonly name: string, private readonly log: Log) {}

  contains(path: string): boolean {
    return path === this.root || path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  get enabled(): boolean {
    return this.settings.analysis.enable;
  }

  /** True once the cold analysis ran (lazily, on first use). */
  get analysed(): boolean {
    return this.service !== undefined;
  }

  /** Settings changed in a way the analysis depends on: the next use starts over, cold. */
  reset(): void {
    this.service = undefined;
  }

  tasks(): TaskAnalysis[] {
    return this.guard('listing tasks', (service) => service.tasks(), []);
  }

  schedules(): ScheduleFound[] {
    return this.guard('listing schedules', (service) => service.schedules(), []);
  }

  problems(path: string): Problem[] {
    return this.guard(`finding problems in ${path}`, (service) => service.problems(path), []);
  }

  /** New text of a file (undefined: read it from disk). Returns the paths whose results may have changed. */
  update(path: string, text: string | undefined): string[] {
    return this.guard(`re-analysing ${path}`, (service) => service.updateFile(path, text), [path]);
  }

  remove(path: string): string[] {
    return this.guard(`forgetting ${path}`, (service) => service.removeFile(path), [path]);
  }

  /** True when the task or schedule list differs from the one last announced (and remembers this one). */
  tasksChanged(): boolean {
    const current = JSON.stringify([this.tasks(), this.schedules()]);
    if (current === this.announced) return false;
    this.announced = current;
    return true;
  }

  private analysis(): AnalysisService | undefined {
    if (!this.enabled) return undefined;
    if (this.service) return this.service;
    const started = performance.now();
    const service = createAnalysisService({
      root: this.root,
      maxDepth: this.settings.analysis.maxDepth,
      log: (message: string) => this.log.info(`[${this.name}] ${message}`),
    });
    this.service = service;
    try {
      const tasks = service.analyzeAll();
      this.log.info(`[${this.name}] analysed ${tasks.length} task(s) in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      // What was analysed before the failure is still served.
      this.log.error(`[${this.name}] the cold analysis failed part way`, error);
    }
    return service;
  }

  private guard<T>(what: string, work: (service: AnalysisService) => T, fallback: T): T {
    const service = this.analysis();
    if (!service) return fallback;
    try {
      return work(service);
    } catch (error) {
      this.log.error(`[${this.name}] failed ${what}`, error);
      return fallback;
    }
  }
}

export class Folders {
  private readonly list: Folder[] = [];

  constructor(private readonly log: Log) {}

  all(): readonly Folder[] {
    return this.list;
  }

  add(uri: string, name: string): Folder | undefined {
    const root = pathOf(uri);
    if (!root) {
      this.log.warn(`workspace folder ${uri} is not on the file system; Tasklane does not analyse it`);
      return undefined;
    }
    const folder = new Folder(uri, root, name, this.log);
    this.list.push(folder);
    return folder;
  }

  remove(uri: string): Folder | undefined {
    const index = this.list.findIndex((folder) => folder.uri === uri);
    return index < 0 ? undefined : this.list.splice(index, 1)[0];
  }

  byUri(uri: string): Folder | undefined {
    return this.list.find((folder) => folder.uri === uri);
  }

  /** The innermost folder holding the path (nested folders are separate projects). */
  of(path: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.list) {
      if (folder.contains(path) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    return best;
  }
}
