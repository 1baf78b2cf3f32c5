import { createApp } from 'tasklane';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
const app = createApp({ name: 'video' });
export const transcode = app.task('video.transcode', async (input: string, output: string) => {
  await run('ffmpeg', ['-i', input, '-c:v', 'libx264', '-preset', 'slow', output]);
  return output;
}, { timeLimit: '10m' });
