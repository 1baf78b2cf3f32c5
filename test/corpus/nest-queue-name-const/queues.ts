export const QUEUES = { EXPORT: 'export', IMPORT: 'import' } as const;
export enum JobNames { Csv = 'csv', Json = 'json' }
