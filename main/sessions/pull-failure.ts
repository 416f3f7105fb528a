import { AppFailure } from '../../common/contract/result';

/** How to write an image reference, for every refusal of one. */
export const IMAGE_REFERENCE_HINT =
  'Write it as [REGISTRY/]NAME[:TAG] in lowercase, like ubuntu:24.04 or ghcr.io/org/image:1.2.';

/** Docker Hub, where a reference without a registry part is pulled from. */
const DEFAULT_REGISTRY = 'docker.io';

/**
 * The registry an image reference names, by Docker's rule: a first path component with a `.`
 * or a `:`, or `localhost`, is a registry (`ghcr.io/x/y`, `127.0.0.1:5000/y`); else Docker Hub.
 */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return DEFAULT_REGISTRY;
  const first = image.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : DEFAULT_REGISTRY;
}

/** What Docker said, without docker-modem's `(HTTP code 404) unexpected - ` prefix. */
export function dockerWords(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  if (typeof json === 'object' && json !== null && 'message' in json)
    return String((json as { message: unknown }).message);
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** Docker's words for each kind of failure; the first that matches decides. */
const KINDS = [
  { kind: 'invalid', pattern: /invalid reference format/i },
  { kind: 'auth', pattern: /unauthorized|authentication required|no basic auth credentials/i },
  {
    kind: 'missing',
    pattern: /manifest unknown|not found|repository does not exist|pull access denied/i,
  },
  {
    kind: 'unreachable',
    pattern:
      /connection refused|no such host|dial tcp|i\/o timeout|network is unreachable|TLS handshake|HTTP response to HTTPS client|connection reset|deadline exceeded|EOF$/i,
  },
] as const;

/**
 * The AppFailure for a pull Docker refused, with what it means for the researcher: the reference
 * is malformed, the registry lacks the image or tag, wants credentials, or cannot be reached
 * from the host. `reason` is Docker's error (thrown by dockerode, or carried by an event).
 */
export function pullFailure(image: string, reason: unknown): AppFailure {
  const said = dockerWords(reason);
  const registry = registryOf(image);
  const kind = KINDS.find((k) => k.pattern.test(said))?.kind;
  switch (kind) {
    case 'invalid':
      return new AppFailure({
        code: 'invalid-image-reference',
        message: `"${image}" is not an image reference Docker accepts (${said}).`,
        hint: IMAGE_REFERENCE_HINT,
      });
    case 'auth':
      return new AppFailure({
        code: 'registry-auth-required',
        message: `The registry ${registry} wants credentials to pull ${image} (${said}).`,
        hint: `LabDeck pulls without registry credentials. On the host, run \`docker login ${registry}\` and \`docker pull ${image}\`; the image then shows in the list.`,
      });
    case 'missing':
      return new AppFailure({
        code: 'image-not-found',
        message: `The registry ${registry} has no image ${image} (${said}).`,
        hint: 'Check the name and the tag (they are case-sensitive); a private image may also need `docker login` on the host.',
      });
    case 'unreachable':
      return new AppFailure({
        code: 'registry-unreachable',
        message: `The host could not reach the registry ${registry} to pull ${image} (${said}).`,
        hint: `Check that ${registry} is the right address and is up, and that the host itself (not only this computer) can reach it; a registry without TLS must be in the host's Docker "insecure-registries".`,
      });
    default:
      return new AppFailure({
        code: 'image-pull-failed',
        message: `Pulling ${image} from ${registry} failed: ${said}.`,
        hint: 'Try again; if it repeats, run `docker pull` on the host to see the whole error.',
      });
  }
}
