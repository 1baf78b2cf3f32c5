import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
@Processor('audio')
export class AudioConsumer extends WorkerHost {
  async process(job: Job<{ input: string }>): Promise<void> {
    await run('ffmpeg', ['-i', job.data.input, '-b:a', '128k', `${job.data.input}.mp3`]);
  }
}
