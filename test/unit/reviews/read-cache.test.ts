import { describe, expect, it } from 'vitest';
import type { ApplicationRow } from '../../../db/schema.ts';
import { createReadCache, type ReadState } from '../../../src/reviews/read-cache.ts';
import type { ReviewRows } from '../../../src/reviews/workflow-state.ts';

const state = (id: number, rowVersion = '100'): ReadState => ({
  app: { id } as ApplicationRow,
  rows: {} as ReviewRows,
  rowVersion,
});

describe('what an instance remembers of the applications it read', () => {
  it('keeps the last read of each application, and forgets one on request', () => {
    const cache = createReadCache();
    cache.remember(state(1, '100'));
    cache.remember(state(1, '101'));
    cache.remember(state(2));
    expect(cache.get(1)?.rowVersion).toBe('101');
    cache.forget(1);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)?.app.id).toBe(2);
  });

  it('holds at most its limit, dropping the application read longest ago', () => {
    const cache = createReadCache(3);
    for (const id of [1, 2, 3]) cache.remember(state(id));
    cache.remember(state(1, '102')); // read again: now the newest
    cache.remember(state(4));
    expect(cache.size).toBe(3);
    expect(cache.get(2)).toBeUndefined();
    expect([1, 3, 4].map((id) => cache.get(id)?.app.id)).toEqual([1, 3, 4]);
  });
});
