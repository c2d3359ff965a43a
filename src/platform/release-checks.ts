/**
 * Apps of the platform that are released by rolling update only (a StatefulSet, a
 * DaemonSet): canary or blue-green entries in their release state would change nothing.
 */
import type { AppRelease } from 'k8s-iac';

/** Problems of a release of `app`, a `kind` released by rolling update only. */
export function checkRollingRelease(app: string, kind: string, file: string, release: AppRelease): string[] {
  return [
    ...(release.canary ? [`${file} has apps.${app}.canary, but ${app} is ${kind} released by rolling update: remove the canary entry`] : []),
    ...(release.blueGreen ? [`${file} has apps.${app}.blueGreen, but ${app} is ${kind} released by rolling update: remove the blueGreen entry`] : []),
  ];
}
