import { createApp } from 'tasklane';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
const app = createApp({ name: 'video' });
app.task('video.poster', async (input: string, output: string) => {
  const child = spawn('ffmpeg', ['-ss', '00:00:05', '-i', input, '-frames:v', '1', output]);
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}`);
  return output;
});
