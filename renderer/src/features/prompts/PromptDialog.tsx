import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PromptAnswer } from '../../../../common/ssh/prompts';
import { promptsStore, usePrompts } from '../../stores/stores';
import { assertNever } from '../../util/assert-never';
import { HostKeyPrompt } from './HostKeyPrompt';
import { KeyboardInteractivePrompt } from './KeyboardInteractivePrompt';
import { currentPrompt, type PendingPrompt } from './prompts-store';
import { SecretPrompt } from './SecretPrompt';

/**
 * The question a connection asks right now, as a modal dialog: the oldest pending one, then the
 * next. It closes when answered here, cancelled (Escape or Cancel), or answered in another
 * window. Each question gets a fresh dialog (keyed by id), so no typed secret carries over.
 */
export function PromptDialog(): JSX.Element | null {
  const { prompt, busy } = usePrompts(
    useShallow((s) => {
      const current = currentPrompt(s);
      return { prompt: current, busy: current !== null && s.answering[current.id] === true };
    }),
  );
  if (prompt === null) return null;
  return <PromptFor key={prompt.id} prompt={prompt} busy={busy} />;
}

/** What every prompt body gets: whether its answer is on its way, and how to answer. */
export interface PromptBodyProps {
  readonly busy: boolean;
  readonly onAnswer: (answer: PromptAnswer) => void;
  readonly onCancel: () => void;
}

function PromptFor({ prompt, busy }: { prompt: PendingPrompt; busy: boolean }): JSX.Element {
  const { answer, cancel } = promptsStore.getState();
  const body: PromptBodyProps = {
    busy,
    onAnswer: (reply) => void answer(prompt.id, reply),
    onCancel: () => void cancel(prompt.id),
  };
  const { request } = prompt;
  switch (request.kind) {
    case 'host-key-unknown':
      return <HostKeyPrompt request={request} {...body} />;
    case 'passphrase':
    case 'password':
    case 'sudo-password':
      return <SecretPrompt request={request} {...body} />;
    case 'keyboard-interactive':
      return <KeyboardInteractivePrompt request={request} {...body} />;
    default:
      return assertNever(request);
  }
}
