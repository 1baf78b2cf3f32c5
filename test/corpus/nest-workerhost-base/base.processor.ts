import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
export abstract class BaseProcessor extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);
}
