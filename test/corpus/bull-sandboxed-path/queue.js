const path = require('node:path');
const Bull = require('bull');
const reports = new Bull('reports');
reports.process(4, path.join(__dirname, 'p.js'));
