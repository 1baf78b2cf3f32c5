import type { SandboxedJob } from 'bullmq';
import { execa } from 'execa';
export default async function (job: SandboxedJob<{ input: string; output: string }>) {
  await execa('ffmpeg', ['-i', job.data.input, '-vf', 'scale=1280:-2', job.data.output]);
  return job.data.output;
}
