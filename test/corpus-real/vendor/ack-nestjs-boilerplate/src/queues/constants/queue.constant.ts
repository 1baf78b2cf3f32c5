export const QueueConfigKey = 'QueueConfigKey';
export const QueueProcessorConfigKey = 'QueueProcessorConfigKey';
