// The oci driver under the shared contract: runc runs a busybox rootfs (Debian's busybox-static) from a bundle
// the driver generates, and a user-supplied bundle.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { AnchoredDriver } from '../src/driver/anchored-driver.js';
import { OciBackend } from '../src/driver/oci-backend.js';
import { applySpec, configForRootfs } from '../src/driver/oci-config.js';
import type { OciWorkloadSpec } from '../src/spec.js';
import { driverContract, eventually, readLog } from './driver-contract.js';

const BUSYBOX = '/bin/busybox';
const RUNC = '/usr/sbin/runc';
const root = mkdtempSync(join(tmpdir(), `rc-oci-${process.pid}-`));
const prefix = `rc${process.pid}`;
const rootfs = join(root, 'rootfs');
after(() => rmSync(root, { recursive: true, force: true }));

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'the oci driver needs root (runc creates namespaces)';
  if (!existsSync(RUNC)) return `${RUNC} is missing (Debian package runc)`;
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (Debian package busybox-static)`;
  return undefined;
}

/** A rootfs of busybox-static alone, with the applets the tests use. */
function buildRootfs(): void {
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'sleep', 'cat']) symlinkSync('busybox', join(rootfs, 'bin', applet));
  for (const d of ['proc', 'dev', 'sys', 'tmp']) mkdirSync(join(rootfs, d));
}

const newDriver = (): AnchoredDriver =>
  new AnchoredDriver({
    backend: new OciBackend({ runtime: RUNC, runtimeRoot: join(root, 'runc'), namePrefix: prefix }),
    stateDir: join(root, 'state'),
    logRoot: join(root, 'log'),
    stopTimeoutMs: 5_000,
  });
const spec = (id: string, script: string, extra: Partial<OciWorkloadSpec> = {}): OciWorkloadSpec => ({
  id, driver: 'oci', image: rootfs, command: '/bin/sh', args: ['-c', script], env: {}, restart: 'always', placement: { nodes: ['n'] }, keys: [], ...extra,
});

driverContract('oci (runc)', async () => {
  const why = missing();
  if (why !== undefined) return why;
  buildRootfs();
  const backend = new OciBackend({ runtime: RUNC, runtimeRoot: join(root, 'runc'), namePrefix: prefix });
  return {
    newDriver,
    // PID 1 of a pid namespace ignores SIGTERM unless it handles it: the shell traps it and ends.
    longRunning: (id, marker) => spec(id, `trap 'exit 0' TERM; echo ${marker}; sleep 1000 & wait`),
    exitingWith3: (id) => spec(id, 'echo bye; exit 3'),
    broken: (id) => spec(id, 'true', { image: join(root, 'no-such-rootfs') }),
    crash: async (id) => void (await execa(RUNC, ['--root', join(root, 'runc'), 'kill', backend.containerName(id), 'KILL'])),
    bootTimeoutMs: 20_000,
  };
});

describe('oci driver', () => {
  before(function () {
    const why = missing();
    if (why !== undefined) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
  });

  // Its script has no TERM handler and runs as PID 1, which ignores SIGTERM: remove() ends it with SIGKILL after
  // the stop timeout.
  it('runs a user bundle with the spec env applied, named <prefix>-<id>', async function () {
    this.timeout(60_000);
    if (!existsSync(join(rootfs, 'bin'))) buildRootfs();
    const bundle = join(root, 'bundle');
    mkdirSync(bundle, { recursive: true });
    const config = applySpec(configForRootfs('../rootfs', 'b'), spec('b', 'echo from-bundle $MODE; sleep 1000'), '../rootfs');
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
    const driver = newDriver();
    const id = `bundle-${process.pid}`;
    await driver.start({ id, driver: 'oci', bundle, args: [], env: { MODE: 'prod' }, restart: 'always', placement: { nodes: ['n'] }, keys: [] });
    await eventually('the bundle output', 20_000, () => (readLog(driver, id).includes('from-bundle prod') ? true : undefined));
    const { stdout } = await execa(RUNC, ['--root', join(root, 'runc'), 'list', '-q']);
    assert.ok(stdout.split('\n').includes(`${prefix}-${id}`), `runc list: ${stdout}`);
    await driver.remove(id);
    const after = await execa(RUNC, ['--root', join(root, 'runc'), 'list', '-q']);
    assert.ok(!after.stdout.split('\n').includes(`${prefix}-${id}`), 'container deleted');
  });
});
