import { createApp } from 'tasklane';
import { pbkdf2 } from 'node:crypto';
const app = createApp({ name: 'keys' });
app.task('keys.derive', (secret: string, salt: string) => new Promise<string>((resolve, reject) => {
  pbkdf2(secret, salt, 600_000, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key.toString('hex'))));
}));
