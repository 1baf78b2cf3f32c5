import { createApp } from 'tasklane';
import { similarityMatrix } from '@lib/similarity';
const app = createApp({ name: 'recs' });
app.task('recs.similarity', (vectors: number[][]) => similarityMatrix(vectors));
