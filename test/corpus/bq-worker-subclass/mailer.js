class Mailer {
  async send(data) {
    const res = await fetch('https://mailer.example.com/send', { method: 'POST', body: JSON.stringify(data) });
    return res.json();
  }
}

module.exports = Mailer;
