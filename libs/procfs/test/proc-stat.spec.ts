// /proc/PID/stat: parsing (comm with spaces and parentheses), reads of real processes, bounded ancestry.
import { strict as assert } from 'node:assert';
import { parseProcStat, ProcessGoneError, ProcFs, processStartTime, ProcStatParseError, readProcStat } from '../src/index.js';

/** A /proc/PID/stat line with the given fields (field 22 = starttime). */
function statLine(pid: number, comm: string, ppid: number, startTime: number): string {
  const fields = ['S', String(ppid), ...Array.from({ length: 17 }, () => '0'), String(startTime), '0', '0'];
  return `${pid} (${comm}) ${fields.join(' ')}\n`;
}

describe('/proc helpers', () => {
  it('parses stat lines whose comm holds spaces and parentheses', () => {
    const s = parseProcStat(statLine(42, 'evil) S 1 (x', 7, 12345), 42);
    assert.deepEqual(s, { pid: 42, comm: 'evil) S 1 (x', state: 'S', ppid: 7, startTime: 12345 });
    assert.throws(() => parseProcStat('42 no comm here', 42), ProcStatParseError);
    assert.throws(() => parseProcStat(statLine(43, 'x', 1, 5), 42), ProcStatParseError);
    assert.throws(() => parseProcStat('42 (x) S 1 2 3', 42), /field 22/);
  });

  it('reads this process: parent and start time, and a bounded ancestry', () => {
    const proc = new ProcFs();
    assert.equal(proc.parentPid(process.pid), process.ppid);
    assert.ok(proc.startTime(process.pid) >= proc.startTime(process.ppid));
    const chain = proc.ancestry(process.pid);
    assert.equal(chain[0]!.pid, process.pid);
    assert.equal(chain[1]!.pid, process.ppid);
    assert.equal(proc.ancestry(process.pid, 1).length, 2);
    assert.throws(() => proc.stat(0x3fffffff), ProcessGoneError);
  });
});

describe('/proc readers for scans and sockets', () => {
  it('read this process asynchronously and its start time, and say undefined for a process that is gone', async () => {
    const me = (await readProcStat(process.pid))!;
    assert.equal(me.ppid, process.ppid);
    assert.equal(me.startTime, processStartTime(process.pid));
    assert.equal(await readProcStat(0x3fffffff), undefined);
    assert.equal(processStartTime(0x3fffffff), undefined);
  });
});
