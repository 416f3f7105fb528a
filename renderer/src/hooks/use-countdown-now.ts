import { useEffect, useState } from 'react';
import { countdownTickMs } from '../features/hosts/connection-view';

/**
 * The current time, re-read each time a countdown to `at` (ISO time) shows a new number, so
 * "Reconnecting in 5 s" counts down live. With `at` null it stays still and sets no timer.
 */
export function useCountdownNow(at: string | null): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (at === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = (): void => {
      const current = Date.now();
      setNow(current);
      if (Date.parse(at) > current) timer = setTimeout(tick, countdownTickMs(at, current));
    };
    tick();
    return () => clearTimeout(timer);
  }, [at]);

  return now;
}
