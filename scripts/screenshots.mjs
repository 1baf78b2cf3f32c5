#!/usr/bin/env node
// `node scripts/screenshots.mjs`: pictures of the real UI for the README, taken in code-server's
// VS Code with the extension as built by `npm run build`, on a fresh copy of examples/:
//   docs/sidebar.png       the Tasklane sidebar with the example tasks and their verdicts
//   docs/codelens.png      the code lens over a task with the suggested pool
//   docs/run-result.png    a task run through a worker started from the extension, its result open
//   docs/debug-paused.png  a debug worker (threads pool) paused at a breakpoint in the task
// scripts/lib/screenshot-driver.cjs, in the extension host, brings each state about with the
// vscode API; this script waits until the page shows it and saves the picture. docs/ is only
// updated when all four were taken.
// Env: TASKLANE_SCREENSHOTS_TIMEOUT_MS (whole run, default 600000).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtensionTests } from './lib/code-server.mjs';
import { copyExamples } from './lib/workspace.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(root, 'dist', 'client.js'))) {
  console.error('screenshots: dist/client.js is missing: run npm run build first');
  process.exit(1);
}

// What is pictured: an example task, the arguments it is run with, the config's worker that serves
// its queue, and where the debug worker stops (first line containing `breakAt` in the task's file).
const plan = {
  task: 'images.blur',
  args: [320, 240, 3],
  worker: 'cpu',
  debugPool: 'threads',
  breakAt: 'const image = boxBlur',
};

// Per picture: what must be on screen first (the driver says when the state is reached; the
// workbench renders it a moment later), then what to arrange by hand in the page.
const shots = {
  sidebar: {
    shown: (page) => [page.locator('.sidebar .monaco-list-row', { hasText: plan.task }).first()],
    // Drag the side bar wider, so the verdicts beside the task names fit (it stays so).
    async arrange(page) {
      const box = await page.locator('.part.sidebar').boundingBox();
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 140, box.y + box.height / 2, { steps: 10 });
      await page.mouse.up();
    },
  },
  codelens: {
    shown: (page) => [page.locator('.codelens-decoration', { hasText: 'Run' }).first()],
  },
  'run-result': {
    shown: (page) => [page.locator('.monaco-editor .view-lines', { hasText: '"SUCCESS"' }).first(),
      page.locator('.sidebar .monaco-list-row', { hasText: plan.task }).first()],
  },
  'debug-paused': {
    shown: (page) => [page.locator('.debug-toolbar').first(), page.locator('.debug-top-stack-frame-line').first()],
    // Open the paused frame's local scope: the task's arguments.
    async arrange(page) {
      const scope = page.locator('.debug-variables .monaco-list-row').first();
      await scope.click();
      await page.locator('.debug-variables .monaco-list-row', { hasText: 'radius' }).first().waitFor({ timeout: 30_000 });
    },
  },
};

const tmp = mkdtempSync(join(tmpdir(), 'tasklane-screenshots-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
const saved = join(tmp, 'shots');
mkdirSync(saved);
const failures = [];

const code = await runExtensionTests({
  folder: copyExamples(root, join(tmp, 'examples')),
  extensionDevelopmentPath: root,
  extensionTestsPath: join(root, 'scripts', 'lib', 'screenshot-driver.cjs'),
  env: { TASKLANE_SCREENSHOTS_DIR: saved, TASKLANE_SCREENSHOTS_PLAN: JSON.stringify(plan) },
  timeoutMs: Number(process.env.TASKLANE_SCREENSHOTS_TIMEOUT_MS ?? 600_000),
  timeoutSetting: 'env TASKLANE_SCREENSHOTS_TIMEOUT_MS',
  viewport: { width: 1440, height: 900 },
  onPage(page) {
    page.on('console', async (msg) => {
      const name = /tasklane-screenshot:([\w-]+)/.exec(msg.text())?.[1]; // text() keeps the host's '%c INFO' prefix
      if (!name) return;
      try {
        for (const locator of shots[name].shown(page)) await locator.waitFor({ state: 'visible', timeout: 120_000 });
        await shots[name].arrange?.(page);
        await page.mouse.move(0, 899); // no hover tooltip over the picture
        await page.screenshot({ path: join(saved, `${name}.png`) });
        console.log(`screenshots: took ${name}`);
      } catch (error) {
        failures.push(`${name}: ${error.message.split('\n')[0]}`);
        const seen = join(tmpdir(), `tasklane-screenshot-${name}-failed.png`);
        await page.screenshot({ path: seen }).then(() => failures.push(`  what the page showed: ${seen}`), () => {});
      }
    });
  },
});

const missing = Object.keys(shots).filter((name) => !existsSync(join(saved, `${name}.png`)));
if (code !== 0 || missing.length) {
  console.error(`screenshots: failed (exit ${code}); not taken: ${missing.join(', ') || 'none'}${failures.length ? `\n  ${failures.join('\n  ')}` : ''}`);
  process.exit(1);
}
mkdirSync(join(root, 'docs'), { recursive: true });
for (const name of Object.keys(shots)) copyFileSync(join(saved, `${name}.png`), join(root, 'docs', `${name}.png`));
console.log(`screenshots: saved ${Object.keys(shots).map((n) => `docs/${n}.png`).join(', ')}`);
