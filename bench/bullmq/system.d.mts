// Types of ./system.mjs, so the TypeScript bench can drive BullMQ without the root typecheck
// needing bullmq (installed under bench/ only, on demand).
import type { System } from '../system.ts';

export declare function bullmqSystem(redisPort: number): Promise<System>;
