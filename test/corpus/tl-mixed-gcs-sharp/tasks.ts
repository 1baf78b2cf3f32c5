import { createApp } from 'tasklane';
import { Storage } from '@google-cloud/storage';
import sharp from 'sharp';
const bucket = new Storage().bucket('photos');
const app = createApp({ name: 'photos' });
app.task('photos.preview', async (name: string) => {
  const [original] = await bucket.file(name).download();
  const preview = await sharp(original).resize(800).jpeg().toBuffer();
  await bucket.file(`previews/${name}`).save(preview);
});
