const gulp = require('gulp');
const { execSync } = require('node:child_process');
gulp.task('build', (done) => { execSync('tsc -p .'); done(); });
