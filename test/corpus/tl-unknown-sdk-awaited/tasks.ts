import { createApp } from 'tasklane';
import { AcmeClient } from '@acme/shipping-sdk';
const acme = new AcmeClient({ apiKey: process.env.ACME_KEY! });
const app = createApp({ name: 'shipping' });
app.task('shipping.createLabel', async (orderId: string) => {
  const label = await acme.labels.create({ orderId });
  return label.url;
});
