import { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { dotfileArchive, type ArchiveEntry } from '../../../main/dotfiles/dotfile-archive';

/** Every entry of `archive` as a tar reader sees it: its header and text. */
async function entriesOf(archive: Buffer): Promise<{ header: Header; text: string }[]> {
  const found: { header: Header; text: string }[] = [];
  for await (const entry of Readable.from([archive]).pipe(extract())) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    found.push({ header: entry.header, text: Buffer.concat(chunks).toString('utf8') });
  }
  return found;
}

const MTIME = new Date('2026-12-02T14:03:00Z');

describe('dotfileArchive', () => {
  it('writes directories and files in order, each with its owner, mode and date', async () => {
    const archive = await dotfileArchive(
      [
        { type: 'directory', name: '.config', uid: 1000, gid: 100, mode: 0o755 },
        {
          type: 'file',
          name: '.config/git-config',
          uid: 1000,
          gid: 100,
          mode: 0o600,
          content: '[user]\n\tname = Ada Lovelace ✓\n',
        },
      ],
      MTIME,
    );
    const entries = await entriesOf(archive);
    expect(
      entries.map(({ header, text }) => ({
        name: header.name,
        type: header.type,
        uid: header.uid,
        gid: header.gid,
        mode: header.mode,
        mtime: header.mtime?.toISOString(),
        size: header.size,
        text,
      })),
    ).toEqual([
      {
        name: '.config',
        type: 'directory',
        uid: 1000,
        gid: 100,
        mode: 0o755,
        mtime: MTIME.toISOString(),
        size: 0,
        text: '',
      },
      {
        name: '.config/git-config',
        type: 'file',
        uid: 1000,
        gid: 100,
        mode: 0o600,
        mtime: MTIME.toISOString(),
        // Bytes of UTF-8, not characters: ✓ is three.
        size: 32,
        text: '[user]\n\tname = Ada Lovelace ✓\n',
      },
    ]);
  });

  it('keeps names longer than a ustar header, non-ASCII names and ids beyond 7 octal digits (pax)', async () => {
    const long = `${'a'.repeat(120)}/${'b'.repeat(120)}/conf`;
    const entries = await entriesOf(
      await dotfileArchive([
        { type: 'file', name: long, uid: 0, gid: 0, mode: 0o644, content: 'x' },
        { type: 'file', name: 'café/crème.txt', uid: 0, gid: 0, mode: 0o644, content: 'y' },
        { type: 'file', name: 'big', uid: 2_147_483_000, gid: 3_000_000, mode: 0o640, content: '' },
      ]),
    );
    // The ustar fields hold what they can; Docker's reader (Go's archive/tar) takes pax's.
    const idsOf = (header: Header) => {
      const pax = header.pax as Record<string, string> | null | undefined;
      return [Number(pax?.uid ?? header.uid), Number(pax?.gid ?? header.gid)];
    };
    expect(entries.map((e) => [e.header.name, ...idsOf(e.header), e.text])).toEqual([
      [long, 0, 0, 'x'],
      ['café/crème.txt', 0, 0, 'y'],
      ['big', 2_147_483_000, 3_000_000, ''],
    ]);
  });

  it('refuses an entry that could land outside where it is extracted, or has a bad owner or mode', async () => {
    const file = (over: Partial<ArchiveEntry>): ArchiveEntry => ({
      type: 'file',
      name: 'f',
      uid: 0,
      gid: 0,
      mode: 0o644,
      content: '',
      ...over,
    });
    for (const [entry, message] of [
      [file({ name: '../x' }), /"\.\.\/x" is not a relative path/],
      [file({ name: '/etc/x' }), /"\/etc\/x" is not a relative path/],
      [file({ name: 'a//b' }), /not a relative path/],
      [file({ uid: -1 }), /uid -1 of f is not a Unix id/],
      [file({ gid: 1.5 }), /gid 1.5 of f/],
      [file({ mode: 0o10000 }), /mode 4096 of f is not a permission mode/],
      [
        { type: 'directory', name: 'd', uid: 0, gid: 0, mode: 0o755, content: 'x' },
        /a directory none/,
      ],
    ] as const)
      await expect(dotfileArchive([entry])).rejects.toThrow(message);
  });
});
