// The analyzer's entry: the language server and the CLI create a service from here.
export { createAnalysisService, type AnalysisServiceOptions } from './service.ts';
export type * from './types.ts';
