// Document URIs and the absolute paths the analyzer speaks. Only file: URIs are analysed (an
// untitled buffer or a git diff view has no place in the workspace's import graph).
import { basename, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONFIG_FILE } from 'tasklane/config';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

/** The absolute path of a file: URI, or undefined for any other scheme. */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export function isConfigFile(path: string): boolean {
  return basename(path) === CONFIG_FILE;
}

/**
 * Files that decide how the workspace's own names resolve (workspace packages, path aliases,
 * project references): a change re-resolves the folder. node_modules holds installed copies, not
 * the project's own.
 */
export const RESOLUTION_FILES = ['package.json', 'tsconfig.json', 'tsconfig.*.json', 'jsconfig.json', 'pnpm-workspace.yaml'];

export function isResolutionFile(path: string): boolean {
  const name = basename(path);
  return !/[\\/]node_modules[\\/]/.test(path)
    && (name === 'package.json' || name === 'jsconfig.json' || name === 'pnpm-workspace.yaml' || /^tsconfig(\..+)?\.json$/.test(name));
}

/** A file the analyzer reads: TS/JS sources (not declarations) and the config. */
export function isAnalysed(path: string): boolean {
  if (isConfigFile(path)) return true;
  return SOURCE_EXTENSIONS.has(extname(path)) && !/\.d\.[mc]?ts$/.test(path);
}
