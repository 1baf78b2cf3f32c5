const XLSX = require('xlsx');
module.exports = async (job) => { const book = XLSX.utils.book_new(); XLSX.utils.book_append_sheet(book, XLSX.utils.json_to_sheet(job.data.rows)); return XLSX.write(book, { type: 'base64' }); };
