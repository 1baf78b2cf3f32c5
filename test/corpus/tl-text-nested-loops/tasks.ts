import { createApp } from 'tasklane';
const app = createApp({ name: 'nlp' });
app.task('nlp.wordFrequencies', (documents: string[]) => {
  const counts = new Map<string, number>();
  for (const doc of documents) {
    for (const word of doc.toLowerCase().split(/\W+/)) {
      if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 100);
});
