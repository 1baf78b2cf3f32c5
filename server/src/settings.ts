// The `tasklane` settings section, read per workspace folder through workspace/configuration.
// Wrong values fall back to the default with one message saying which setting to fix.
import { DEFAULT_MAX_DEPTH } from '@tasklane/analyzer';

export interface Settings {
  analysis: {
    /** Off: no diagnostics, lenses or tasks for the folder, and no analysis work at all. */
    enable: boolean;
    /** How many calls deep the analyzer follows helpers. */
    maxDepth: number;
  };
  codeLens: {
    enable: boolean;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  analysis: { enable: true, maxDepth: DEFAULT_MAX_DEPTH },
  codeLens: { enable: true },
};

export interface ReadSettings {
  settings: Settings;
  /** One sentence per setting that was ignored, naming it and what it should be. */
  problems: string[];
}

function section(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reads the raw `tasklane` section a client returned (possibly null or partial). */
export function readSettings(raw: unknown): ReadSettings {
  const problems: string[] = [];
  const analysis = section(section(raw).analysis);
  const codeLens = section(section(raw).codeLens);

  function flag(value: unknown, name: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    problems.push(`tasklane.${name} must be true or false (got ${JSON.stringify(value)}); using ${fallback}`);
    return fallback;
  }

  let maxDepth = DEFAULT_SETTINGS.analysis.maxDepth;
  if (analysis.maxDepth !== undefined && analysis.maxDepth !== null) {
    if (typeof analysis.maxDepth === 'number' && Number.isInteger(analysis.maxDepth) && analysis.maxDepth >= 0) {
      maxDepth = analysis.maxDepth;
    } else {
      problems.push(`tasklane.analysis.maxDepth must be a whole number ≥ 0 (got ${JSON.stringify(analysis.maxDepth)}); using ${maxDepth}`);
    }
  }

  return {
    settings: {
      analysis: { enable: flag(analysis.enable, 'analysis.enable', DEFAULT_SETTINGS.analysis.enable), maxDepth },
      codeLens: { enable: flag(codeLens.enable, 'codeLens.enable', DEFAULT_SETTINGS.codeLens.enable) },
    },
    problems,
  };
}
