/**
 * Kubernetes resource quantities (`100m`, `15Mi`, `1.5Gi`, `2`) as numbers, so the
 * cross-resource checks can add and compare them. Follows the grammar of
 * k8s.io/apimachinery/pkg/api/resource: decimal SI suffixes, binary SI suffixes and
 * decimal exponents. No npm package with this grammar is maintained, so it lives here.
 */

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity into its value in base units (cores, bytes, counts); undefined if malformed. */
export function parseQuantity(quantity: string): number | undefined {
  // Kubernetes reads no spaces in a quantity: ' 100m' is an error, not 100m
  if (typeof quantity !== 'string') return undefined;
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY_SUFFIXES) return value * BINARY_SUFFIXES[suffix];
  if (suffix in DECIMAL_SUFFIXES) return value * DECIMAL_SUFFIXES[suffix];
  return value * 10 ** Number(suffix.slice(1));
}

/** Formats CPU cores as millicores (`250m`) or whole cores (`2`), for messages and sums. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}

/** Formats bytes with the largest binary suffix that keeps an integer (`15Mi`, `1536Mi`). */
export function formatBytes(bytes: number): string {
  const units: Array<[string, number]> = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [suffix, size] of units) {
    if (bytes >= size && Number.isInteger(bytes / size)) return `${bytes / size}${suffix}`;
  }
  return `${Math.round(bytes)}`;
}
