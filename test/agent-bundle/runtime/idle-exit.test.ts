import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleExit } from '../../../agent-bundle/runtime/idle-exit';

const IDLE_MS = 1_000;

describe('IdleExit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once the idle time has passed with no client and no hold', () => {
    const onIdle = vi.fn();
    new IdleExit(IDLE_MS, onIdle);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('waits while a client is connected, and restarts the full idle time when it leaves', () => {
    const onIdle = vi.fn();
    const idle = new IdleExit(IDLE_MS, onIdle);
    idle.setClients(1);
    vi.advanceTimersByTime(IDLE_MS * 5);
    idle.setClients(0);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('a hold keeps a daemon with no clients alive past its deadline; released, it goes idle', () => {
    const onIdle = vi.fn();
    const idle = new IdleExit(IDLE_MS, onIdle);
    const release = idle.holdAlive('terminal t1');
    expect(idle.reasons).toEqual(['terminal t1']);
    vi.advanceTimersByTime(IDLE_MS * 10);
    expect(onIdle).not.toHaveBeenCalled();
    release();
    release(); // twice is harmless
    expect(idle.reasons).toEqual([]);
    vi.advanceTimersByTime(IDLE_MS);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('stays up until the last of several holds is released', () => {
    const onIdle = vi.fn();
    const idle = new IdleExit(IDLE_MS, onIdle);
    const first = idle.holdAlive('a');
    const second = idle.holdAlive('b');
    first();
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(onIdle).not.toHaveBeenCalled();
    second();
    vi.advanceTimersByTime(IDLE_MS);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('never fires after stop', () => {
    const onIdle = vi.fn();
    new IdleExit(IDLE_MS, onIdle).stop();
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
