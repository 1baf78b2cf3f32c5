import { createApp } from 'tasklane';
import axios from 'axios';
const app = createApp({ name: 'sync' });
app.task('crm.syncContacts', async (since: string) => {
  let page = 1;
  let total = 0;
  for (;;) {
    const { data } = await axios.get('https://crm.example.com/contacts', { params: { since, page } });
    total += data.items.length;
    if (!data.next) break;
    page++;
  }
  return total;
});
