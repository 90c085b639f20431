// The contract every workload driver meets (STYLE §19): one suite, run against process, oci and vm with real
// processes. A fixture supplies specs its driver can run; the suite asserts what a reconciler relies on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcFs } from '@fortros/procfs';
import type { WorkloadDriver } from '../src/driver/driver.js';
import { DriverSpecError, DriverStartError } from '../src/errors.js';
import type { WorkloadSpec } from '../src/spec.js';

export interface DriverFixture {
  /** A fresh driver instance over the fixture's state and logs (as a restarted reconciler creates one). */
  newDriver(): WorkloadDriver;
  /** A workload that prints `marker` (to its stdout / serial console) and runs until stopped. */
  longRunning(id: string, marker: string): WorkloadSpec;
  /** A workload that ends on its own with exit code 3; absent when the driver's workloads cannot choose a code. */
  exitingWith3?(id: string): WorkloadSpec;
  /** A workload this driver cannot start (a missing file): its start must fail with a driver error. */
  broken(id: string): WorkloadSpec;
  /** Kills the workload from outside, as a crash would (SIGKILL to what the workload is). */
  crash(id: string, pid: number): Promise<void>;
  /** How long a start may take to show its marker in the log (a VM boots under TCG). */
  bootTimeoutMs: number;
}

/** Polls `check` until it returns a value other than undefined, or fails at the deadline naming `what`. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export const processExists = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The text of a workload's `current` log (TAI64N-stamped lines), '' while there is none. */
export function readLog(driver: WorkloadDriver, id: string): string {
  try {
    return readFileSync(join(driver.logDir(id), 'current'), 'utf8');
  } catch {
    return '';
  }
}

export function driverContract(name: string, setup: () => Promise<DriverFixture | string>): void {
  describe(`workload driver contract: ${name}`, function () {
    let fx: DriverFixture;
    let skip: string | undefined;
    let n = 0;
    const id = (what: string): string => `${what}-${process.pid}-${++n}`;

    before(async function () {
      const got = await setup();
      if (typeof got === 'string') {
        skip = got;
        console.log(`      skipped: ${got}`);
        this.skip();
      }
      fx = got as DriverFixture;
      this.timeout(fx.bootTimeoutMs * 6);
    });

    after(async function () {
      if (skip !== undefined || fx === undefined) return;
      this.timeout(60_000);
      const driver = fx.newDriver();
      for (const wid of (await driver.list()).keys()) await driver.remove(wid);
    });

    it('starts a workload: running with a live pid, its output in its log with TAI64N stamps', async function () {
      this.timeout(fx.bootTimeoutMs + 30_000);
      const driver = fx.newDriver();
      const wid = id('up');
      const marker = `marker-${wid}`;
      const started = await driver.start(fx.longRunning(wid, marker));
      assert.ok(started.pid > 1 && processExists(started.pid));
      assert.ok(Math.abs(started.startedAt - Date.now()) < 60_000, `startedAt ${started.startedAt} is now`);
      const run = (await driver.list()).get(wid);
      assert.deepEqual(run, { state: 'running', pid: started.pid, startedAt: started.startedAt, startTime: new ProcFs().startTime(started.pid) });
      const log = await eventually(`${marker} in the log`, fx.bootTimeoutMs, () => (readLog(driver, wid).includes(marker) ? readLog(driver, wid) : undefined));
      assert.match(log, new RegExp(`^@[0-9a-f]{24} .*${marker}`, 'm'));
      await driver.remove(wid);
    });

    it('a workload that ends on its own is seen exited with its code', async function () {
      if (fx.exitingWith3 === undefined) this.skip();
      const driver = fx.newDriver();
      const wid = id('exit');
      await driver.start(fx.exitingWith3!(wid));
      const run = await eventually('the exit', 20_000, async () => {
        const r = (await driver.list()).get(wid);
        return r?.state === 'exited' ? r : undefined;
      });
      assert.deepEqual(run.state === 'exited' && run.exit, { code: 3, signal: null });
      await driver.remove(wid);
      assert.equal((await driver.list()).has(wid), false, 'removed');
    });

    it('stop: gracefully, then nothing of it is left', async function () {
      this.timeout(fx.bootTimeoutMs + 60_000);
      const driver = fx.newDriver();
      const wid = id('stop');
      const { pid } = await driver.start(fx.longRunning(wid, `marker-${wid}`));
      await driver.stop(wid);
      const run = (await driver.list()).get(wid);
      assert.equal(run?.state, 'exited');
      assert.equal(processExists(pid), false, `pid ${pid} is gone`);
      assert.equal(processExists(-pid), false, `process group ${pid} is gone`);
      await driver.remove(wid);
    });

    it('a spec it cannot run is a driver error, not a crash, observed by any instance', async () => {
      const wid = id('broken');
      let detail = '';
      await assert.rejects(fx.newDriver().start(fx.broken(wid)), (err: Error) => {
        detail = (err as DriverStartError | DriverSpecError).detail;
        return err instanceof DriverStartError || err instanceof DriverSpecError;
      });
      const driver = fx.newDriver();
      const run = (await driver.list()).get(wid);
      assert.equal(run?.state === 'start-failed' && run.error, detail);
      await driver.remove(wid);
      assert.equal((await driver.list()).has(wid), false);
    });

    it('a new instance adopts a running workload and never starts a second copy', async function () {
      this.timeout(fx.bootTimeoutMs + 60_000);
      const wid = id('adopt');
      const spec = fx.longRunning(wid, `marker-${wid}`);
      // Instance A starts it and is dropped at once, as if its reconciler had been killed: nothing of the run
      // lives only in it.
      const { pid, startedAt } = await fx.newDriver().start(spec);
      const b = fx.newDriver();
      assert.deepEqual((await b.list()).get(wid), { state: 'running', pid, startedAt, startTime: new ProcFs().startTime(pid) });
      await assert.rejects(b.start(spec), DriverStartError);
      assert.ok(processExists(pid));
      await b.remove(wid);
      assert.equal(processExists(pid), false);
    });

    it('an exit while no instance exists is learned by the next one', async function () {
      this.timeout(fx.bootTimeoutMs + 60_000);
      const wid = id('orphan-exit');
      const { pid, startedAt } = await fx.newDriver().start(fx.longRunning(wid, `marker-${wid}`)); // A, dropped
      await fx.crash(wid, pid);
      await eventually(`pid ${pid} to end`, 20_000, () => (processExists(pid) ? undefined : true));
      const b = fx.newDriver();
      const run = await eventually('the recorded exit', 20_000, async () => {
        const r = (await b.list()).get(wid);
        return r?.state === 'exited' ? r : undefined;
      });
      assert.equal(run.state === 'exited' && run.pid, pid);
      assert.equal(run.startedAt, startedAt);
      assert.deepEqual(run.state === 'exited' && run.exit, { code: null, signal: 'SIGKILL' });
      await b.remove(wid);
    });
  });
}
