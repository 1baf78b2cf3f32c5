import { createApp } from 'tasklane';
import * as crypto from 'node:crypto';
const app = createApp({ name: 'keys' });
app.task('keys.scrypt', (password: string, salt: string) => crypto.scryptSync(password, salt, 64).toString('hex'));
