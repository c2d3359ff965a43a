/**
 * Images are pinned (000:L81-90, L299-305): a versioned tag always, never `latest`, and a
 * digest where the environment requires one. Checked on every rendered container, so a
 * cdk8s-plus Deployment or included YAML is held to the same rule as our patterns.
 */
import { checkImage } from '../core/validation';
import type { WorkloadFootprint } from '../core/workloads';

/** Image problems of one namespace's workloads, each naming the container. */
export function imagesPinned(workloads: readonly WorkloadFootprint[], requireDigest: boolean): string[] {
  return workloads.flatMap((w) =>
    [...w.initContainers, ...w.containers].flatMap((c) => {
      const problem = checkImage(c.image, `container ${c.name}: image`, requireDigest);
      return problem ? [`${w.path}: ${problem}`] : [];
    }),
  );
}
