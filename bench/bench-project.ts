/**
 * The synthetic platform as a project module, so that the benchmark's `parallel` tool runs
 * the same worker-thread synth as `k8s-iac synth --parallel`: each worker loads this module.
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
