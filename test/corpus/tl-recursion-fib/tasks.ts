import { createApp } from 'tasklane';
const app = createApp({ name: 'math' });
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
app.task('math.fib', (n: number) => fib(n));
