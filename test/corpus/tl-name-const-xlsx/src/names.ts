export const TASKS = { REPORT: 'reports.export', PING: 'ops.ping' } as const;
