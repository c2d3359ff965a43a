/**
 * The synthetic platform as a project module, so that the benchmark runs the same synth as
 * `k8s-iac synth` (`synthToFolder`): each worker thread loads this module.
 * The number of services comes from BENCH_SERVICES (a module has no other input).
 */
import { defineProject } from 'k8s-iac';
import { ENVIRONMENTS } from '../src/platform/environments';
import { buildBenchPlatform } from './platform';

/** The variable holding the number of services. */
export const SERVICES_VARIABLE = 'BENCH_SERVICES';

export default defineProject({
  environments: ENVIRONMENTS,
  build: (scope, env) => buildBenchPlatform(scope, env, Number(process.env[SERVICES_VARIABLE])),
});
