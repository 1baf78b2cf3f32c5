const { createApp } = require('tasklane');
const axios = require('axios');
const app = createApp({ name: 'legacy' });
app.task('legacy.fetchRates', async (base) => {
  const { data } = await axios.get(`https://rates.example.com/latest?base=${base}`);
  return data.rates;
});
module.exports = { app };
