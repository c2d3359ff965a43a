/**
 * Release state as the patterns take it: which version and image runs, how a canary is
 * routed, which colour of a blue-green pair is active. The runner reads these from
 * release/<env>.json (runner/release-state.ts); the patterns only see the values.
 */

/** One version of an app: the version label and its pinned image. */
export interface VersionRelease {
  /** Value of the pods' `app.kubernetes.io/version` label. */
  readonly version: string;
  /** Image reference, `repository:tag@sha256:digest` where the environment requires digests. */
  readonly image: string;
}

/**
 * Which requests go to the canary. ingress-nginx evaluates header, then cookie, then
 * weight; at least one of them must be set.
 */
export interface CanaryRouting {
  /** Share of requests sent to the canary: 0-100, or 0-weightTotal. @default - no weighted split */
  readonly weight?: number;
  /** What `weight` is a share of (`canary-weight-total`), for splits finer than 1%; at most 1000000 through a Gateway (an HTTPRoute backend weight's maximum). @default 100 */
  readonly weightTotal?: number;
  /**
   * Request header that routes to the canary: value `always` goes to it, `never` stays on
   * stable, any other value falls through to cookie and weight. @default - no header rule
   */
  readonly header?: string;
  /** Only this exact value of `header` routes to the canary (replaces always/never); not empty, at most 4096 characters through a Gateway. @default - always/never */
  readonly headerValue?: string;
  /** Only values of `header` matching this regular expression route to the canary. @default - always/never */
  readonly headerPattern?: string;
  /** Cookie that routes to the canary when `always`, and keeps the request on stable when `never`. @default - no cookie rule */
  readonly cookie?: string;
}

/** A canary's routing as a pattern takes it, and where its settings were written. */
export interface CanaryRoutingSettings extends CanaryRouting {
  /**
   * Where the routing settings were written, so that their problems name it: a release
   * file's entry, e.g. `release/prod.json: apps.web.canary`. @default - named `canary <field>`
   */
  readonly settingsSource?: string;
}

/**
 * How a problem names one routing setting of a canary (`canary weight`), or the canary as a
 * whole (`canary`): by its release file entry where the settings came from one.
 */
export function canarySettingName(settings: CanaryRoutingSettings, field?: keyof CanaryRouting): string {
  const source = settings.settingsSource;
  if (field === undefined) return source ?? 'canary';
  return source === undefined ? `canary ${field}` : `${source}.${field}`;
}

/** A canary: its version, which requests reach it (header, then cookie, then weight), and its size. */
export interface CanaryRelease extends VersionRelease, CanaryRouting {
  /** Pods of the canary Deployment. @default 2 - one pod would be a single point of failure for the requests sent to it */
  readonly replicas?: number;
}

/** Both colours of a blue-green pair, for checks of a colour that came from outside the type system. */
export const COLOURS = ['blue', 'green'] as const;

/** One half of a blue-green pair. */
export type Colour = (typeof COLOURS)[number];

/** The other colour. */
export function otherColour(colour: Colour): Colour {
  return colour === 'blue' ? 'green' : 'blue';
}

/** Both colours of a blue-green app and which one users get. */
export interface BlueGreenRelease {
  /** The colour the active Service sends users to. */
  readonly active: Colour;
  /** Image and version of the blue Deployment. */
  readonly blue: VersionRelease;
  /** Image and version of the green Deployment. */
  readonly green: VersionRelease;
  /** Replicas of the idle colour. @default - full size, for instant rollback */
  readonly idleReplicas?: number;
  /**
   * The idle colour runs at full size, whatever idleReplicas says, ready for the switch:
   * promote's first step where idleReplicas shrinks it, cleared by the switch. A switch to a
   * colour that is still starting would leave the active Service without Ready pods.
   * @default false
   */
  readonly warm?: boolean;
}

/** What runs of one app in one environment. */
export interface AppRelease {
  /** The release users get (in a blue-green environment: the active colour's). */
  readonly stable: VersionRelease;
  /** A canary beside stable. @default - no canary */
  readonly canary?: CanaryRelease;
  /** The blue-green pair. @default - not released blue-green */
  readonly blueGreen?: BlueGreenRelease;
}
