import { createApp } from 'tasklane';
const app = createApp({ name: 'metrics' });
app.task('metrics.dailyTotal', async (day: string) => {
  const res = await fetch(`https://metrics.example.com/api/days/${day}`);
  const points: Array<{ value: number }> = await res.json();
  let sum = 0;
  for (const p of points) sum += p.value;
  return sum;
});
