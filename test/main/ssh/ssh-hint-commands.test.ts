import { describe, expect, it } from 'vitest';
import { endpointLabel, hostPortLabel } from '../../../main/ssh/ssh-endpoint';
import {
  keyscanCommand,
  sshVerboseCommand,
  tcpCheckCommand,
  type HintEndpoint,
} from '../../../main/ssh/ssh-hint-commands';
import { describeWithParts } from '../../harness';
import { argvFor, resolveSsh } from '../../support/hint-commands';

/** Addresses a researcher types: an IPv4 literal, IPv6 literals, names; odd but valid users. */
const ENDPOINTS: readonly HintEndpoint[] = [
  { user: 'uxuser', host: '127.0.0.1', port: 48911 },
  { user: 'uxuser', host: '::1', port: 48191 },
  { user: 'ana', host: 'fe80::1', port: 22 },
  { user: 'ana.b', host: 'gpu-7.lab.example', port: 22 },
  { user: 'pc$', host: 'gpu-7', port: 2222 },
];

describe('labels of an address', () => {
  it('brackets an IPv6 address before its port, as OpenSSH writes it', () => {
    expect(hostPortLabel('::1', 48191)).toBe('[::1]:48191');
    expect(hostPortLabel('127.0.0.1', 22)).toBe('127.0.0.1:22');
    expect(endpointLabel({ user: 'uxuser', host: '::1', port: 48191 })).toBe('uxuser@[::1]:48191');
    expect(endpointLabel({ user: 'ana', host: '::1', port: 22 })).toBe('ana@::1');
  });
});

describeWithParts(['ssh-keygen'], 'suggested commands, as real OpenSSH and bash read them', () => {
  it.each(ENDPOINTS)('ssh -v reaches $user at $host port $port', async (endpoint) => {
    const command = sshVerboseCommand(endpoint);
    expect(await resolveSsh(command)).toEqual({
      user: endpoint.user,
      hostname: endpoint.host,
      port: endpoint.port,
      proxyjump: undefined,
    });
  });

  it('ssh -v goes through the same jump hosts, IPv6 hops included', async () => {
    const via: HintEndpoint[] = [
      { user: 'gate', host: '::1', port: 2200 },
      { user: 'ana', host: 'lab-direct', port: 22 },
    ];
    const command = sshVerboseCommand({ user: 'uxuser', host: '10.0.0.7', port: 48911 }, via);
    expect(await resolveSsh(command)).toEqual({
      user: 'uxuser',
      hostname: '10.0.0.7',
      port: 48911,
      proxyjump: 'gate@[::1]:2200,ana@lab-direct',
    });
  });

  it.each(ENDPOINTS)('nc and ssh-keyscan get $host and $port as separate arguments', async (e) => {
    expect(await argvFor(tcpCheckCommand(e.host, e.port), 'nc')).toEqual([
      '-vz',
      e.host,
      String(e.port),
    ]);
    expect(await argvFor(keyscanCommand(e.host, e.port), 'ssh-keyscan')).toEqual([
      '-p',
      String(e.port),
      e.host,
    ]);
  });
});
