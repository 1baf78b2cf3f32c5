import { createApp } from 'tasklane';
import { resolveMx } from 'node:dns/promises';
const app = createApp({ name: 'mail' });
app.task('mail.checkDomain', async (domain: string) => (await resolveMx(domain)).length > 0);
