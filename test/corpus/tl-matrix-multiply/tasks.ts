import { createApp } from 'tasklane';
const app = createApp({ name: 'math' });
app.task('math.multiply', (a: number[][], b: number[][]) => {
  const n = a.length, m = b[0].length, k = b.length;
  const out: number[][] = Array.from({ length: n }, () => new Array(m).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      for (let x = 0; x < k; x++) out[i][j] += a[i][x] * b[x][j];
  return out;
});
