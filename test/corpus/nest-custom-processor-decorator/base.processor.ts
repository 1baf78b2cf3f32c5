import { WorkerHost } from '@nestjs/bullmq';
export abstract class BaseProcessor extends WorkerHost {}
