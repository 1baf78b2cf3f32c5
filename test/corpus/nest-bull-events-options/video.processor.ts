import { OnQueueActive, OnQueueCompleted, OnQueueFailed, Process, Processor, InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
@Processor('video')
export class VideoConsumer {
  constructor(@InjectQueue('video') private readonly videoQueue: Queue) {}
  @Process({ name: 'transcode', concurrency: 2 })
  async transcode(job: Job<{ input: string }>) {
    const child = spawn('ffmpeg', ['-i', job.data.input, `${job.data.input}.mp4`]);
    await once(child, 'exit');
    await this.videoQueue.add('compress', { input: `${job.data.input}.mp4` });
  }
  @Process('compress')
  compress(job: Job<{ text: string }>) { return gzipSync(job.data.text); }
  @OnQueueActive()
  onActive(job: Job) { console.log(`processing ${job.id}`); }
  @OnQueueCompleted()
  onCompleted(job: Job, result: unknown) { console.log(job.id, result); }
  @OnQueueFailed()
  onFailed(job: Job, error: Error) { console.error(job.id, error); }
}
@Processor('cleanup')
export class CleanupConsumer {
  @Process({ concurrency: 1 })
  async sweep(job: Job) { await this.wait(job.data.ms); }
  private wait(ms: number) { return new Promise((resolve) => setTimeout(resolve, ms)); }
}
