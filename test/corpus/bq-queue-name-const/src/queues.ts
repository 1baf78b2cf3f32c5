export enum Legacy { X = 'x' }
export const QUEUES = { WEBHOOKS: 'outbound-webhooks' } as const;
