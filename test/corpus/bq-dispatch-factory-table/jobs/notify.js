async function notify(job) {
  const res = await fetch('https://hooks.example.com/notify', { method: 'POST', body: JSON.stringify(job.data) });
  return res.status;
}

module.exports = notify;
