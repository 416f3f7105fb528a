import type { sessionsRequests, sessionsStreams } from '../../common/contract/sessions';
import { AppFailure } from '../../common/contract/result';
import type { HandlerSlice } from '../bridge/handlers';
import { sessionLogStream } from './session-logs';
import { pullImageStream } from './session-pull';
import type { SessionsService } from './sessions-service';
import { waitForService } from './wait-for-service';

/** The `sessions:` slice of the contract's handlers. */
export function sessionHandlers(
  sessions: SessionsService,
): HandlerSlice<keyof typeof sessionsRequests, keyof typeof sessionsStreams> {
  return {
    requests: {
      'sessions:list': ({ hostId }) => sessions.list(hostId),
      'sessions:start': ({ forward, ...input }) => sessions.start(input, forward ?? false),
      'sessions:preview': ({ hostId, gpus }) => sessions.preview(hostId, gpus),
      'sessions:images': ({ hostId }) => sessions.images(hostId),
      'sessions:stop': (ref) => sessions.stop(ref),
      'sessions:restart': (ref) => sessions.restart(ref),
      'sessions:remove': (ref) => sessions.remove(ref),
      'sessions:forward': ({ name, localPort, ...ref }) => sessions.forward(ref, name, localPort),
      'sessions:wait-service': async ({ name, ...ref }) => {
        const found = await sessions.find(ref);
        const port = found.session.ports.find((p) => p.name === name);
        if (port && port.protocol !== 'http')
          throw new AppFailure({
            code: 'service-not-http',
            message: `${name} is a ${port.protocol} service; only http services open in the browser.`,
            hint: `Forward it with \`labdeck session forward ${found.session.name} ${name}\` and connect your client to the address printed.`,
          });
        const forward = await sessions.forward(ref, name);
        // forward() succeeded, so the service exists and `port` is its first container port.
        const first = port?.containerPort ?? 0;
        await waitForService(
          forward.localUrl,
          () => sessions.find(ref).then((f) => f.session),
          () => sessions.forwards.lastError(found.host.id, found.session.id, first),
        );
        return forward;
      },
    },
    streams: {
      'sessions:logs': async ({ follow, ...ref }) => {
        // Another user's output can hold their secrets (Jupyter prints its token): theirs only.
        const found = sessions.mine(await sessions.find(ref), 'read the output of');
        return sessionLogStream(found.docker, found.container.Id, follow);
      },
      'sessions:pull': async ({ hostId, image }) =>
        pullImageStream(await sessions.docker(hostId), image),
    },
  };
}
