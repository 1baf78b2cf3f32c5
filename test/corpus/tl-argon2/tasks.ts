import { createApp } from 'tasklane';
import * as argon2 from 'argon2';
const app = createApp({ name: 'accounts' });
app.task('accounts.verify', async (hash: string, password: string) => {
  return await argon2.verify(hash, password);
});
