import { createApp } from 'tasklane';
import { marked } from 'marked';
const app = createApp({ name: 'docs' });
app.task('docs.render', (markdown: string) => marked.parse(markdown));
