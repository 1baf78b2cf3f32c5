import { createApp } from 'tasklane';
import { createCanvas } from 'canvas';
const app = createApp({ name: 'charts' });
app.task('charts.render', (values: number[]) => {
  const canvas = createCanvas(800, 400);
  const ctx = canvas.getContext('2d');
  values.forEach((v, i) => ctx.fillRect(i * 10, 400 - v, 8, v));
  return canvas.toBuffer('image/png');
});
