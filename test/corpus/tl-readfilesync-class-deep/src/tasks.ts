import { createApp } from 'tasklane';
import { MongoClient } from 'mongodb';
import { Renderer } from './services/renderer.ts';
const mongo = new MongoClient(process.env.MONGO_URL!);
const renderer = new Renderer();
const app = createApp({ name: 'newsletter' });
app.task('newsletter.render', async (issueId: string) => {
  const issue = await mongo.db('news').collection('issues').findOne({ _id: issueId });
  const html = renderer.render('issue', { title: String(issue?.title) });
  await mongo.db('news').collection('rendered').insertOne({ issueId, html });
});
