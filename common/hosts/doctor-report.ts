import * as z from 'zod';

/** The steps of a host check, in the order they happen when connecting. */
export const DOCTOR_STEPS = [
  'tcp',
  'host-key',
  'authentication',
  'probe',
  'node-runtime',
  'agent',
  'docker',
  'nvidia-smi',
  'nvidia-container-runtime',
  'xfs-project-quota',
  'setup-helper',
  'setup-sudo-rule',
  'setup-config',
  'setup-volumes',
] as const;

/** One checked step: what was found, and the command that fixes it when it failed. */
export const doctorStepSchema = z.object({
  step: z.enum(DOCTOR_STEPS),
  title: z.string(),
  /** `warn`: works, but a feature will be missing (e.g. no quotas); `skip`: an earlier step failed. */
  status: z.enum(['pass', 'warn', 'fail', 'skip']),
  detail: z.string(),
  fix: z.string().optional(),
  ms: z.number().optional(),
});
export type DoctorStep = z.infer<typeof doctorStepSchema>;

/** Every step of one host's check (the Doctor panel and `labdeck host check`). */
export const doctorReportSchema = z.object({
  host: z.string(),
  steps: z.array(doctorStepSchema),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;

/** Titles as the Doctor panel and the CLI show them. */
export const DOCTOR_TITLES: Readonly<Record<DoctorStep['step'], string>> = {
  tcp: 'TCP connection',
  'host-key': 'Host key',
  authentication: 'Authentication',
  probe: 'Probe',
  'node-runtime': 'Node runtime',
  agent: 'Agent start',
  docker: 'Docker access',
  'nvidia-smi': 'nvidia-smi',
  'nvidia-container-runtime': 'NVIDIA container runtime',
  'xfs-project-quota': 'XFS project quota',
  'setup-helper': 'Host setup',
  'setup-sudo-rule': 'Privileged helper',
  'setup-config': 'Lab configuration',
  'setup-volumes': 'Storage volumes',
};
