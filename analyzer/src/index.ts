// The analyzer's entry: the language server and `tasklane analyze` create a service from here.
export { createAnalysisService, type AnalysisServiceOptions } from './service.ts';
export { DEFAULT_MAX_DEPTH } from './summarize.ts';
export type { Replacement } from './knowledge/index.ts';
export type * from './types.ts';
