import { WorkerManager } from './queues/worker-manager';
import { QueueName, evalShardNames } from './queues/names';
import { evalProcessorBuilder, thumbnailProcessor, traceDeleteProcessor } from './queues/processors';

WorkerManager.register(QueueName.TraceDelete, traceDeleteProcessor, { concurrency: 2 });
WorkerManager.register(QueueName.Thumbnails, thumbnailProcessor);

evalShardNames.forEach((shardName) => {
  WorkerManager.register(shardName, evalProcessorBuilder(shardName));
});
