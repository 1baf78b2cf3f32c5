import { createApp } from 'tasklane';
import { Jimp } from 'jimp';
import got from 'got';
const app = createApp({ name: 'avatars' });
app.task('avatars.import', async (url: string) => {
  const body = await got(url).buffer();
  const image = await Jimp.read(body);
  image.resize({ w: 256, h: 256 });
  return image.getBase64('image/png');
});
