import { createApp } from 'tasklane';
import bcrypt from 'bcrypt';
const app = createApp({ name: 'accounts' });
export const hashPassword = app.task('accounts.hashPassword', async (password: string) => bcrypt.hash(password, 12));
