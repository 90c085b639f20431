// Every size, count, delay and limit of the init benchmark, with its unit (STYLE §7).

/** Dependency chain lengths (s1 ← s2 ← … ← sN), full run / --quick. The per-hop figure is the slope over them. */
export const CHAIN_SIZES = [1, 8, 32] as const;
export const CHAIN_SIZES_QUICK = [1, 8] as const;
/** Independent services of the flat boot (full / --quick); the restart test runs in that boot. */
export const FLAT_SIZE = 100;
export const FLAT_SIZE_QUICK = 8;
/** Where every boot's directories go when it exists: a tmpfs, as /run is on a booted node (on a disk, mkdir and
 * mkfifo of 100 supervise directories wait on the journal under load: 4–25 ms each here). Else os.tmpdir(). */
export const TMPFS_DIR = '/dev/shm';
/** Repetitions of every boot, each peer once per repetition in a rotating order (full / --quick). */
export const REPETITIONS = 5;
export const REPETITIONS_QUICK = 2;
/** SIGKILLs of a service that has been up long enough, per flat boot (full / --quick). */
export const RESTART_KILLS = 3;
export const RESTART_KILLS_QUICK = 2;

/** A service is killed only once its current process has been up this long (every supervisor's 1 s spacing is over), in ms. */
export const RESTART_MIN_UP_MS = 1_500;
/** How long one boot (chain or flat) may take until its last service started, in ms (runit's sv polls; s6 may retry). */
export const BOOT_TIMEOUT_MS = 120_000;
/** How long a killed service may take until its replacement wrote its start line, in ms. */
export const RESTART_TIMEOUT_MS = 15_000;
/** After the stop request (SIGTERM/SIGHUP), how long a supervisor may take to exit before SIGKILL to its group, in ms. */
export const STOP_GRACE_MS = 15_000;
/** After the supervisor exited, how long its services may take to end on their own (runsv stops after runsvdir), in ms. */
export const DRAIN_MS = 3_000;
/** How often /proc is looked at while draining, in ms. */
export const DRAIN_POLL_MS = 20;
/** How long the sweep waits for the processes it SIGKILLed to disappear, in ms. */
export const SWEEP_WAIT_MS = 2_000;
/** Reads of /proc/PID/environ before a service's pid is called not ours (it reads empty during execve), and the pause between, in ms. */
export const MARKER_CHECK_TRIES = 5;
export const MARKER_CHECK_RETRY_MS = 2;
/** Sweeps of /proc for processes carrying the run's marker before giving up on stragglers. */
export const SWEEP_PASSES = 5;
/** Fallback poll of the stamp files besides inotify (fs.watch), in ms; the times come from the stamps, not from the poll. */
export const STAMP_POLL_MS = 25;
/** How long the clock calibration may spin waiting for Date.now() to tick, in ms. */
export const CALIBRATE_SPIN_MAX_MS = 5;
/** How long one external command (dpkg-query, supervisorctl) may run, in ms. */
export const COMMAND_TIMEOUT_MS = 10_000;

/** What a service's program does after its start line: sleep this long (it is killed long before), in s. */
export const SERVICE_SLEEP_S = 3_600;
/** s6: how long `s6-svwait -U` in a run script waits for the predecessor, in ms (s6-svwait -t). */
export const S6_SVWAIT_TIMEOUT_MS = 110_000;
/** runit: how long `sv -w` in a run script waits for the predecessor, in s. */
export const SV_WAIT_S = 110;
/** supervisord: seconds a program must stay up to count as RUNNING (0: RUNNING once spawned; the default 1 would add 1 s). */
export const SUPERVISORD_STARTSECS = 0;
/** runsvdir skips a scan directory modified in the current second; the bench backdates it by this much, in s. */
export const SCANDIR_BACKDATE_S = 10;

/** Lines of a supervisor's stderr kept for failure reports. */
export const STDERR_TAIL_LINES = 40;
/** Most JSON records of fortros-init kept per boot for the breakdown (3 per service at most in these trees). */
export const INIT_RECORDS_MAX = 2_000;
