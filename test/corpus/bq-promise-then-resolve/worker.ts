import { Worker } from 'bullmq';
import { GeoClient } from 'geo-sdk-unknown';
const geo = new GeoClient();
new Worker('lookup', (job) => new Promise((resolve, reject) => {
  geo.locate(job.data.ip).then(resolve).catch(reject);
}), { connection: { host: 'redis' } });
