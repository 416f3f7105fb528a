import type { promptsRequests } from '../../common/contract/prompts';
import type { HandlerSlice } from '../bridge/handlers';
import type { PromptCenter } from './prompt-center';

/** The `prompts:` slice of the contract's handlers: questions waiting for the user. */
export function promptHandlers(prompts: PromptCenter): HandlerSlice<keyof typeof promptsRequests> {
  return {
    requests: {
      'prompts:list': () => prompts.list(),
      'prompts:answer': ({ id, answer }) => {
        prompts.answer(id, answer);
        return {};
      },
    },
  };
}
