/**
 * The go-multiroute app's own config file, `config.yml`, as a typed value.
 *
 * The app (000 §1.1, `main_multiroute.go`) reads `-config FILE` with gopkg.in/yaml.v2 into
 *
 *     type RouteConf struct { Response string `yaml:"response"`; Duration time.Duration `yaml:"duration"` }
 *     type Config struct { Routes map[string]*RouteConf `yaml:"routes"` }
 *
 * and stops at start when the file does not parse. Each configured path answers
 * `[<VERSION>] Hello, You are at <path>, Got: <response>` after sleeping `duration`
 * seconds (the handler sleeps `time.Second * Duration`). The app also registers
 * `/connect_db`, `/get_ip` and `/test_circuit_breaker` in code; a config route with one
 * of those paths would be a second registration of the same pattern, which panics.
 *
 * Sources: seed 000 links the program (000:L11, `main_multiroute.go`) and its config
 * (000:L26, `k8s-manifest/configmap.yaml`) without quoting them; the files are in the
 * notes' repository, github.com/chaseSpace/k8s-tutorial-cn, under k8s_actions_guide/version1/:
 * `base_manifest/configmap.yaml` (commit 2d9bc7ce494ebdad04a19893638f3cad7e85c141) holds the
 * four routes below, and `go_code/go_multiroute/main_multiroute.go` (commit
 * c5e23bbf47d0e08389887ed511de01d3233800cb) the structs above and the built-in routes.
 * The seeds show the first route answering (000:L208-209) and /route2 existing but not
 * routed by the Ingress (000:L211-212).
 */
import { stringify } from 'yaml';

/** One route of the app. */
export interface GoMultirouteRoute {
  /** The text the route answers with, after `Got: `. */
  readonly response: string;
  /** Whole seconds the handler sleeps before answering. @default 0 */
  readonly duration?: number;
}

/** The structure the app unmarshals `config.yml` into: URL path to route. */
export interface GoMultirouteAppConfig {
  readonly routes: Readonly<Record<string, GoMultirouteRoute>>;
}

/** Paths the app serves from its code, whatever the config says. */
export const GO_MULTIROUTE_BUILT_IN_ROUTES: readonly string[] = ['/connect_db', '/get_ip', '/test_circuit_breaker'];

/** The notes' config.yml: four routes, two of them slow (timeouts and rate limiting are tried on them). */
export const GO_MULTIROUTE_CONFIG: GoMultirouteAppConfig = {
  routes: {
    '/route1': { response: "route1's content" },
    '/route2': { response: "route2's content" },
    '/test_timeout': { response: "test_timeout's content", duration: 3 },
    '/test_limiter': { response: "test_limiter's content\n", duration: 1 },
  },
};

/** Every path the app answers with the given config: its routes and the built-in ones. */
export function goMultirouteServedPaths(config: GoMultirouteAppConfig): string[] {
  return [...Object.keys(config.routes), ...GO_MULTIROUTE_BUILT_IN_ROUTES].sort();
}

/** What keeps the app from loading `config`, one message per problem. */
export function goMultirouteConfigProblems(config: GoMultirouteAppConfig): string[] {
  const problems: string[] = [];
  const paths = Object.keys(config.routes);
  if (paths.length === 0) problems.push('config.yml has no routes: the app would serve only its built-in paths');
  for (const path of paths) {
    const route = config.routes[path];
    if (!path.startsWith('/')) problems.push(`config.yml route "${path}" must start with "/" (the app registers it with http.HandleFunc)`);
    if (GO_MULTIROUTE_BUILT_IN_ROUTES.includes(path)) problems.push(`config.yml route "${path}" is built into the app: registering it twice makes the app panic at start`);
    if (typeof route.response !== 'string') problems.push(`config.yml route "${path}": response must be a string`);
    if (route.duration !== undefined && !(Number.isInteger(route.duration) && route.duration >= 0)) {
      problems.push(`config.yml route "${path}": duration must be a whole number of seconds >= 0, not ${route.duration}`);
    }
  }
  return problems;
}

/**
 * `config` as the YAML the app reads: `routes` mapping each path (sorted) to `response`
 * and, when set, `duration`, always in that order. Same value, same bytes.
 */
export function renderGoMultirouteConfig(config: GoMultirouteAppConfig): string {
  const routes: Record<string, { response: string; duration?: number }> = {};
  for (const path of Object.keys(config.routes).sort()) {
    const { response, duration } = config.routes[path];
    routes[path] = duration === undefined ? { response } : { response, duration };
  }
  return stringify({ routes }, { lineWidth: 0, directives: false });
}
