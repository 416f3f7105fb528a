import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostSetupRequestSchema, type HostSetupReport } from '../../common/host-setup/setup-report';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { SYSTEM_ROOT_ENV } from '../../common/host-setup/system-paths';
import { runHostSetup } from './host-setup';

/** What `labdeck-agent setup --request JSON` needs besides its request. */
export interface SetupEntryOptions {
  readonly requestJson: string;
  readonly version: string;
  readonly bundlePath: string;
  readonly nodePath: string;
}

/**
 * `labdeck-agent setup --request JSON`: parses the request (hostSetupRequestSchema), runs host
 * setup as root and returns the report, which main prints as one JSON line on stdout.
 */
export async function runSetupEntry(options: SetupEntryOptions): Promise<HostSetupReport> {
  let json: unknown;
  try {
    json = JSON.parse(options.requestJson);
  } catch {
    json = undefined;
  }
  const parsed = hostSetupRequestSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'setup-request-invalid',
      message: `The setup request is not valid: ${parsed.error ? describeIssues(parsed.error) : 'not JSON'}.`,
      hint: 'Check the --volume NAME=PATH and --lab values.',
    });
  const bytes = await readFile(options.bundlePath);
  const root = parsed.data.root ?? (process.env[SYSTEM_ROOT_ENV] || '/');
  return runHostSetup(
    { ...parsed.data, root },
    {
      version: options.version,
      bundle: bytes,
      bundleSha256: createHash('sha256').update(bytes).digest('hex'),
      nodePath: options.nodePath,
      nodeVersion: process.versions.node,
    },
  );
}
