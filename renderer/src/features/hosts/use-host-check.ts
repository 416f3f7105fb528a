import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { DoctorReport } from '../../../../common/hosts/doctor-report';
import { hostsStore } from '../../stores/stores';

/** Where one Doctor check of a host stands. */
export type HostCheckState =
  | { readonly phase: 'running' }
  | { readonly phase: 'done'; readonly report: DoctorReport }
  | { readonly phase: 'failed'; readonly error: AppError };

/** A host's check and a way to run it again. */
export interface HostCheck {
  readonly state: HostCheckState;
  /** Runs the check again; does nothing while one runs. */
  readonly rerun: () => void;
}

/**
 * Runs `hosts:check` for a host when the panel opens and again on `rerun`. The report belongs
 * to the panel alone, so it stays in this hook rather than in a store; an answer that arrives
 * after the panel closed, or after a newer run started, is dropped. A finished check refreshes
 * the host's card too, so "Check" is the one way to have a host looked at again.
 */
export function useHostCheck(hostId: string): HostCheck {
  const [run, setRun] = useState(0);
  const [state, setState] = useState<HostCheckState>({ phase: 'running' });

  useEffect(() => {
    let current = true;
    void hostsStore
      .getState()
      .check(hostId)
      .then((result) => {
        if (!current) return;
        // The check asked the host anew: its card shows what it found (Docker, checked at).
        if (result.ok) void hostsStore.getState().refresh(hostId);
        setState(
          result.ok
            ? { phase: 'done', report: result.value }
            : { phase: 'failed', error: result.error },
        );
      });
    return () => {
      current = false;
    };
  }, [hostId, run]);

  const running = state.phase === 'running';
  const rerun = useCallback(() => {
    if (running) return;
    setState({ phase: 'running' });
    setRun((n) => n + 1);
  }, [running]);

  return { state, rerun };
}
