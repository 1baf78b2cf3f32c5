import { createApp } from 'tasklane';
import Jimp from 'jimp';
const app = createApp({ name: 'media' });

async function watermark(input: string, output: string) {
  const image = await Jimp.read(input);
  image.greyscale().contrast(0.2);
  await image.writeAsync(output);
  return output;
}

export const watermarkTask = app.task('media.watermark', watermark);
