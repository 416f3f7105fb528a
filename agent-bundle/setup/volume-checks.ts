import type { Volume } from '../../common/host-setup/lab-config';
import type { SetupCheck, VolumeRequest } from '../../common/host-setup/setup-report';
import { AppFailure } from '../../common/contract/result';
import {
  findVolume,
  hasProjectQuota,
  projectQuotaNotEnforced,
  xfsNotMounted,
  type MountEntry,
} from './volume-mounts';

/*
 * Host setup's checks of storage volumes (issue 11): those named on a run (`--volume`), found
 * from their mount, and those the configuration already declares, checked again on every run.
 * Each says whether folders there get quotas, and what fixes it when not; none changes anything.
 */

/** Each `--volume NAME=PATH` checked (an existing directory) and its kind found from the mount. */
export async function findVolumes(
  requests: readonly VolumeRequest[],
): Promise<{ volumes: Volume[]; checks: SetupCheck[] }> {
  const volumes: Volume[] = [];
  const checks: SetupCheck[] = [];
  for (const request of requests) {
    const found = await findVolume(request.path);
    if (!found.ok)
      throw new AppFailure({
        code: 'setup-volume-invalid',
        message: `--volume ${request.name}=${request.path}: ${found.reason}; the path must be an existing directory. Nothing was changed.`,
        hint: `Create it first (sudo mkdir -p ${request.path}) or give another path.`,
      });
    volumes.push({ name: request.name, path: found.realPath, kind: found.kind });
    checks.push(volumeCheck(request.name, found.realPath, found.mount));
  }
  return { volumes, checks };
}

/** A volume the configuration already declares, checked again on every run. */
export async function keptVolumeCheck(volume: Volume): Promise<SetupCheck> {
  const title = `Volume ${volume.name} (${volume.path})`;
  const found = await findVolume(volume.path);
  if (!found.ok)
    return {
      check: 'volume',
      title,
      status: 'fail',
      detail: `${found.reason}: folders on it cannot be made or used`,
      fix: `mount it again, or point the volume elsewhere: labdeck host setup HOST --volume ${volume.name}=PATH`,
    };
  const unmounted = xfsNotMounted(volume.kind, volume.path, found.mount);
  if (unmounted !== undefined)
    return {
      check: 'volume',
      title,
      status: 'fail',
      detail: unmounted,
      fix: `mount the XFS filesystem at ${volume.path} again (see /etc/fstab), or declare it anew: labdeck host setup HOST --volume ${volume.name}=${volume.path}`,
    };
  return volumeCheck(volume.name, volume.path, found.mount);
}

/** How one volume's mount serves folders: with quotas, or why not and what fixes it. */
export function volumeCheck(name: string, path: string, mount: MountEntry): SetupCheck {
  const title = `Volume ${name} (${path})`;
  const { mountPoint, fsType } = mount;
  if (hasProjectQuota(mount))
    return {
      check: 'volume',
      title,
      status: 'pass',
      detail: `XFS at ${mountPoint} with project quota: folders get quotas`,
    };
  if (projectQuotaNotEnforced(mount))
    return {
      check: 'volume',
      title,
      status: 'warn',
      detail: `XFS at ${mountPoint} with project quota counted but not enforced (pqnoenforce): folders work, and nothing holds them to a limit`,
      fix:
        mountPoint === '/'
          ? 'use rootflags=prjquota instead of pqnoenforce on the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then sudo update-grub) and reboot'
          : `use prjquota instead of pqnoenforce in the options of ${mountPoint} in /etc/fstab, then: sudo umount ${mountPoint} && sudo mount ${mountPoint}`,
    };
  if (fsType === 'xfs')
    return {
      check: 'volume',
      title,
      status: 'warn',
      detail: `XFS at ${mountPoint} without project quota: folders work, without quotas`,
      fix:
        mountPoint === '/'
          ? 'add rootflags=prjquota to the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then sudo update-grub) and reboot'
          : `add prjquota to the options of ${mountPoint} in /etc/fstab, then: sudo umount ${mountPoint} && sudo mount ${mountPoint}`,
    };
  return {
    check: 'volume',
    title,
    status: 'warn',
    detail: `${fsType} at ${mountPoint}: folders work as plain directories, without quotas (quotas need XFS with prjquota)`,
  };
}
