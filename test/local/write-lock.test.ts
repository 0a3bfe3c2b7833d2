/**
 * The front's per-item locks: writes to one item run one at a time in arrival order, writes to other
 * items do not wait for them, and transactions over overlapping keys in any order never deadlock.
 */
import { describe, expect, it } from '@jest/globals';
import { KeyLocks } from '../../local/dynamodb/write-lock';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('KeyLocks', () => {
  it('lets a write to another key finish while one key is held', async () => {
    const locks = new KeyLocks();
    const held = gate();
    const order: string[] = [];
    const slow = locks.run(['A'], async () => {
      await held.opened;
      order.push('A');
    });
    await locks.run(['B'], async () => void order.push('B'));
    expect(order).toEqual(['B']);
    held.open();
    await slow;
    expect(order).toEqual(['B', 'A']);
    expect(locks.size).toBe(0);
  });

  it('runs writes to one key one at a time, in arrival order', async () => {
    const locks = new KeyLocks();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        locks.run(['K'], async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('does not deadlock when transactions name overlapping keys in opposite orders', async () => {
    const locks = new KeyLocks();
    const done: string[] = [];
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        locks.run(i % 2 ? ['A', 'B', 'C'] : ['C', 'B', 'A'], async () => {
          await tick();
          done.push(String(i));
        }),
      ),
    );
    expect(done).toHaveLength(30);
    expect(locks.size).toBe(0);
  });

  it('releases the locks when the work throws', async () => {
    const locks = new KeyLocks();
    await expect(
      locks.run(['A', 'B'], async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(locks.run(['B'], async () => 'next')).resolves.toBe('next');
    expect(locks.size).toBe(0);
  });
});
