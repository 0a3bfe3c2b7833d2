/**
 * Locks per item key: the local front commits a write (or a transaction) while holding the lock of
 * every item it touches, so writes to the same item run one at a time in arrival order (and their
 * stream records follow commit order per item, as DynamoDB Streams promise), while writes to
 * different items do not wait for each other. A transaction takes its keys' locks in sorted order,
 * so two transactions can never each hold a lock the other waits for (no deadlock).
 */
export class KeyLocks {
  /** Per key, the promise the next holder waits for; deleted when nobody holds or waits. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` while holding the lock of every key in `keys` (duplicates allowed). */
  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  /** How many keys are held or waited for now (0 when idle: the map does not grow with the table). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.tails.set(key, mine);
    if (previous) await previous;
    return () => {
      // Only the last in line removes the key; a later waiter has replaced the tail already.
      if (this.tails.get(key) === mine) this.tails.delete(key);
      release();
    };
  }
}
