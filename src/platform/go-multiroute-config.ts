/**
 * The go-multiroute app's own config file, `config.yml`, as a typed value.
 *
 * The image every environment runs is the notes' own push of the app (000:L117-133,
 * `docker.io/leigg/go_multiroute:v1@sha256:74bf…`), built from the layout of 000:L97-103:
 * `main_multiroute.go` beside `k8s-manifest/`. That program (000:L11) reads `-config FILE`
 * with gopkg.in/yaml.v2 into
 *
 *     type Config struct { Routes map[string]string }
 *
 * registers each path with `http.HandleFunc`, answering `Hello, You are at <path>, Got:
 * <response>` (the answer the notes show at 000:L208-209), and serves nothing else. When
 * the file does not parse, it prints the error and returns: the container exits and
 * restarts, and no pod becomes Ready.
 *
 * Sources: the files the notes link are in the notes' repository,
 * github.com/chaseSpace/k8s-tutorial-cn, under k8s_actions_guide/version1/:
 * `main_multiroute.go` (commits 92011f9153b0143e2c6079e489a58ffd05674c7d and
 * 44702399341cb8750ebe7af85c36f5d67bfc946f, the same structure in both) and
 * `k8s-manifest/configmap.yaml` (commit 44702399341cb8750ebe7af85c36f5d67bfc946f), whose two
 * routes are below. A later revision of the program (`go_code/go_multiroute/main_multiroute.go`,
 * commit c5e23bbf47d0e08389887ed511de01d3233800cb) reads `{ response, duration }` per route
 * and serves `/connect_db` besides; it is not the program in that image, whose answers
 * would then start with `[<VERSION>] `, and no public source gives the digest of a build of it.
 */
import { toYaml } from 'k8s-iac';

/** The structure the app unmarshals `config.yml` into: URL path to the text it answers with, after `Got: `. */
export interface GoMultirouteAppConfig {
  readonly routes: Readonly<Record<string, string>>;
}

/** The notes' config.yml (000:L26): two routes; the Ingress routes only the first (000:L211-212). */
export const GO_MULTIROUTE_CONFIG: GoMultirouteAppConfig = {
  routes: {
    '/route1': "route1's content",
    '/route2': "route2's content",
  },
};

/** Every path the app answers with the given config: its routes, and nothing else. */
export function goMultirouteServedPaths(config: GoMultirouteAppConfig): string[] {
  return Object.keys(config.routes).sort();
}

/** What keeps the app from loading `config`, one message per problem. */
export function goMultirouteConfigProblems(config: GoMultirouteAppConfig): string[] {
  const problems: string[] = [];
  const paths = Object.keys(config.routes);
  if (paths.length === 0) problems.push('config.yml has no routes: the app would serve nothing');
  for (const path of paths) {
    if (!path.startsWith('/')) problems.push(`config.yml route "${path}" must start with "/": Go's ServeMux, with which the app registers it, reads a pattern without one as a host name, so the route would never answer`);
    if (typeof config.routes[path] !== 'string') problems.push(`config.yml route "${path}": the answer must be a string (the app reads a map of path to text)`);
  }
  return problems;
}

/**
 * `config` as the YAML the app reads: `routes` mapping each path (sorted) to its answer.
 * Same value, same bytes; an answer a YAML 1.1 reader such as yaml.v2 would take for
 * another type (`yes`, `3`) is quoted, as in every file synth writes.
 */
export function renderGoMultirouteConfig(config: GoMultirouteAppConfig): string {
  const routes: Record<string, string> = {};
  for (const path of Object.keys(config.routes).sort()) routes[path] = config.routes[path];
  return toYaml({ routes });
}
