export const IO_TASK = { queue: 'io', retries: 3 } as const;
