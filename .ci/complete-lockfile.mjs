#!/usr/bin/env node
// The package registry reachable from our build machines serves only the platform builds it
// mirrors, so `npm install` here writes a package-lock.json without the other platforms'
// optional native packages (swc, msgpackr-extract, unrs-resolver), and `npm ci` then refuses the
// lock as "out of sync". This adds the missing optional entries with their os/cpu so npm skips
// them on this platform without fetching. Idempotent; run after any `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = { darwin: 'darwin', win32: 'win32', linux: 'linux', android: 'android', freebsd: 'freebsd', openharmony: 'openharmony' };
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'loong64', 'riscv64'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS[p]);
  const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('eabi') || parts.includes('gnueabihf') ? 'arm' : undefined);
  return { ...(os && { os: [os] }), ...(cpu && { cpu: [cpu] }) };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[`${path}/${key}`]) continue;
    lock.packages[key] = { version, optional: true, ...platformOf(dep) };
    added.push(`${dep}@${version}`);
  }
}
if (added.length) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
}
console.log(added.length ? `package-lock.json: added ${added.length} optional platform entries` : 'package-lock.json: complete');
