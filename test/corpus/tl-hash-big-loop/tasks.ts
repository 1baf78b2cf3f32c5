import { createApp } from 'tasklane';
import { createHash } from 'node:crypto';
const app = createApp({ name: 'pow' });
app.task('pow.solve', (prefix: string, difficulty: number) => {
  const target = '0'.repeat(difficulty);
  for (let nonce = 0; nonce < 50_000_000; nonce++) {
    const digest = createHash('sha256').update(prefix + nonce).digest('hex');
    if (digest.startsWith(target)) return nonce;
  }
  return -1;
});
