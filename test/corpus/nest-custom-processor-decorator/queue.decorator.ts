import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';

// The application's own decorators around @Processor: one returns it with an options object,
// the other composes it with metadata.
export function QueueProcessor(name: string, options?: { concurrency?: number }): ClassDecorator {
  return Processor({ name, configKey: 'redis' }, { name: `${name}:consumer`, ...options });
}

export const TracedProcessor = (queue: string) => applyDecorators(Processor(queue), SetMetadata('traced', true));
