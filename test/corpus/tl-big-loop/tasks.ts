import { createApp } from 'tasklane';
const app = createApp({ name: 'sim' });
app.task('sim.monteCarloPi', () => {
  let inside = 0;
  for (let i = 0; i < 5_000_000; i++) {
    const x = Math.random(), y = Math.random();
    if (x * x + y * y <= 1) inside++;
  }
  return (4 * inside) / 5_000_000;
});
