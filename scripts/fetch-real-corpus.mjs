#!/usr/bin/env node
// Downloads the npm packages named in test/corpus-real/manifest.json into a cache
// folder and checks that every entry's file is there. Code from npm packages is not kept
// in this repository: this script fetches it from the npm registry on demand. Entries with
// `"source": "vendor"` come from permissively licensed GitHub projects whose files are
// kept unchanged in test/corpus-real/vendor/<vendor>/ beside the project's licence (CI
// reaches only the npm registry); they are checked, not fetched.
//
//   node scripts/fetch-real-corpus.mjs            fetch what is missing, check every entry
//   TASKLANE_CORPUS_CACHE=/some/dir node ...      use another cache folder
//
// Cache layout: <cache>/<package>@<version>/ holds the unpacked tarball (so files are
// at <cache>/<package>@<version>/package/...) and a .complete marker written last.
// A package whose folder has the marker is not fetched again, so a second run returns
// at once. Node 20 built-ins and the npm CLI only (npm pack, then tar to unpack).

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'test', 'corpus-real', 'manifest.json');
const vendorRoot = join(root, 'test', 'corpus-real', 'vendor');
export const cacheRoot = resolve(process.env.TASKLANE_CORPUS_CACHE || join(homedir(), '.cache', 'tasklane-corpus'));
export const packageDir = (name, version) => join(cacheRoot, `${name}@${version}`);
const isVendored = (entry) => entry.source === 'vendor';
/** The folder the analyzer opens as the workspace for an entry: the unpacked package, or the vendored project. */
export const entryRoot = (entry) => isVendored(entry) ? join(vendorRoot, entry.vendor) : join(packageDir(entry.package, entry.version), 'package');
/** The entry's file: `path` is inside the tarball (`package/...`) or inside the vendored project. */
export const entryFile = (entry) => isVendored(entry) ? join(vendorRoot, entry.vendor, entry.path) : join(packageDir(entry.package, entry.version), entry.path);
const MARKER = '.complete';
const TARBALL_INFO = '.tarball.json';

function mb(bytes) { return `${(bytes / 1024 / 1024).toFixed(1)} MB`; }

function duSync(dir) {
  let total = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) total += duSync(p);
    else if (ent.isFile()) total += statSync(p).size;
  }
  return total;
}

async function fetchPackage(name, version) {
  const dir = packageDir(name, version);
  if (existsSync(join(dir, MARKER))) {
    const info = existsSync(join(dir, TARBALL_INFO)) ? JSON.parse(readFileSync(join(dir, TARBALL_INFO), 'utf8')) : {};
    return { cached: true, tarballBytes: info.size ?? 0 };
  }
  // A folder without the marker is a broken earlier attempt: start it again.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let packed;
  try {
    const { stdout } = await run('npm', ['pack', `${name}@${version}`, '--json', '--loglevel=error', '--pack-destination', dir],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
    packed = JSON.parse(stdout)[0];
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const lines = String(err.stderr || err.message).split('\n').filter(l => l.trim() && !/complete log|^npm error\s*$/.test(l));
    const detail = lines.slice(0, 2).join(' | ');
    throw new Error(`npm pack ${name}@${version} failed: ${detail}\n` +
      `  what to do: check that the npm registry is reachable (npm ping) and that ${name}@${version} still exists ` +
      `(npm view ${name}@${version} version); if the version was unpublished, pick another version and re-label the entries that use it.`);
  }
  const tgz = join(dir, packed.filename);
  try {
    await run('tar', ['-xzf', tgz, '-C', dir]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`unpacking ${tgz} failed: ${String(err.stderr || err.message).trim()}\n` +
      '  what to do: check free disk space and that tar is installed, then run this script again.');
  }
  const size = statSync(tgz).size;
  rmSync(tgz);
  writeFileSync(join(dir, TARBALL_INFO), JSON.stringify({ filename: packed.filename, size, integrity: packed.integrity, shasum: packed.shasum }) + '\n');
  writeFileSync(join(dir, MARKER), new Date().toISOString() + '\n');
  return { cached: false, tarballBytes: size };
}

export async function fetchCorpus({ log = console.log } = {}) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const pkgs = new Map();
  for (const e of manifest.entries) if (!isVendored(e)) pkgs.set(`${e.package}@${e.version}`, [e.package, e.version]);
  const vendors = new Set(manifest.entries.filter(isVendored).map((e) => e.vendor));
  mkdirSync(cacheRoot, { recursive: true });
  log(`tasklane real corpus: ${manifest.entries.length} entries in ${pkgs.size} packages and ${vendors.size} vendored projects; cache ${cacheRoot}`);
  const failures = [];
  let downloaded = 0, tarballTotal = 0, i = 0;
  for (const [key, [name, version]] of pkgs) {
    i++;
    try {
      const r = await fetchPackage(name, version);
      tarballTotal += r.tarballBytes;
      if (!r.cached) { downloaded += r.tarballBytes; log(`[${i}/${pkgs.size}] ${key}: downloaded ${mb(r.tarballBytes)}`); }
    } catch (err) {
      failures.push(`${key}: ${err.message}`);
      log(`[${i}/${pkgs.size}] ${key}: FAILED`);
    }
  }
  for (const vendor of vendors) {
    const dir = join(vendorRoot, vendor);
    if (!existsSync(dir) || !readdirSync(dir).some((name) => /^(LICEN[CS]E|COPYING)/i.test(name))) {
      failures.push(`vendor/${vendor}: no licence file in ${dir}\n` +
        '  what to do: vendored code must sit beside its project\'s licence; copy the LICENSE file from the recorded commit.');
    }
  }
  const failed = new Set(failures.map(f => f.slice(0, f.indexOf(':'))));
  for (const e of manifest.entries) {
    const key = isVendored(e) ? `vendor/${e.vendor}` : `${e.package}@${e.version}`;
    if (failed.has(key)) continue;
    const file = entryFile(e);
    if (!existsSync(file)) {
      failures.push(`${e.id}: ${e.path} is not in ${key} (looked for ${file})\n` + (isVendored(e)
        ? `  what to do: vendor the file unchanged from ${e.repository} at ${e.commit} (git show ${e.commit}:${e.path}), or fix "path".`
        : `  what to do: the manifest path is wrong for this version; fix "path" in test/corpus-real/manifest.json ` +
          `(list the tarball with: tar -tzf $(npm pack ${key} --silent)).`));
      continue;
    }
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines[e.locator.line - 1] ?? '';
    if (e.locator.match && !at.includes(e.locator.match)) {
      failures.push(`${e.id}: line ${e.locator.line} of ${e.path} does not contain ${JSON.stringify(e.locator.match)}\n` +
        (isVendored(e)
          ? '  what to do: the vendored file differs from the one the entry was labelled on; restore it from the recorded commit, or fix locator.line in the manifest.'
          : '  what to do: the cached file differs from the one the entry was labelled on; delete the package folder from the cache and fetch again, or fix locator.line in the manifest.'));
    }
  }
  const unpacked = duSync(cacheRoot);
  log(`tarballs: ${mb(tarballTotal)} in all (${mb(downloaded)} downloaded this run); unpacked cache: ${mb(unpacked)}`);
  if (unpacked > 500 * 1024 * 1024) log('note: the cache is larger than 500 MB');
  return { manifest, failures, cacheRoot };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { failures } = await fetchCorpus();
  if (failures.length) {
    console.error(`\n${failures.length} problem(s):`);
    for (const f of failures) console.error(`- ${f}`);
    process.exit(1);
  }
  console.log('all entries present');
}
