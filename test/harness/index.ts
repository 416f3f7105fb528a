/**
 * Real parts for integration and e2e tests (DESIGN.md §6): an OpenSSH server, test Unix users,
 * a Docker engine with a busybox image, and Chromium. Guard tests with describeWithParts.
 */
export * from './require-part';
export * from './free-port';
export * from './users';
export * from './sshd';
export * from './dockerd';
export * from './registry';
export * from './test-image';
export * from './chromium';
export * from './labdeck-build';
export * from './gpu-host';
export * from './wait';
export * from './test-services';
export * from './nss-user';
export * from './nvidia-smi-text-report';
export * from './session-host';
export * from './docker-exec';
export * from './ssh-cut';
