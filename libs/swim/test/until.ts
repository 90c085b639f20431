// Test helper: polls a condition until it holds or a deadline passes (no fixed sleeps standing in for synchronisation).
import assert from 'node:assert/strict';

export async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
