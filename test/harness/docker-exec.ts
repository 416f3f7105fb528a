import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';

/** Runs `cmd` in `container` (docker exec) and returns its exit code and stdout. */
export async function execInContainer(
  docker: Dockerode,
  container: Dockerode.Container,
  cmd: string[],
): Promise<{ exitCode: number | null; stdout: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
  await new Promise((resolve) => stream.once('end', resolve));
  return { exitCode: (await exec.inspect()).ExitCode, stdout: text };
}
