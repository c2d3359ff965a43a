import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkImage, checkLabelValue, checkPort, cidrContains, formatBytes, formatCpu, parseQuantity } from 'k8s-iac';

describe('quantities', () => {
  test.each([
    ['100m', 0.1],
    ['2', 2],
    ['1.5', 1.5],
    ['15Mi', 15 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1k', 1000],
    ['1e3', 1000],
    ['500M', 5e8],
  ])('%s parses to %d', (q, expected) => expect(parseQuantity(q)).toBeCloseTo(expected));

  test.each(['', 'abc', '10 Mi', '1.2.3', 'Mi', '10mi'])('%j is rejected', (q) => expect(parseQuantity(q)).toBeUndefined());

  test('formats cpu and bytes for messages', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
    expect(formatBytes(15 * 2 ** 20)).toBe('15Mi');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1536Mi');
  });
});

describe('names', () => {
  test('DNS-1123 labels', () => {
    expect(checkDnsLabel('go-multiroute', 'name')).toBeUndefined();
    expect(checkDnsLabel('Go_Multiroute', 'name')).toMatch(/not a valid DNS-1123 label: use at most 63 lower-case/);
    expect(checkDnsLabel('a'.repeat(64), 'name')).toMatch(/DNS-1123 label/);
    expect(checkDnsLabel('-x', 'name')).toMatch(/starting and ending with a letter or digit/);
  });

  test('a name that is no string is a message, not a TypeError (values from JavaScript or JSON)', () => {
    expect(checkDnsLabel(undefined as unknown as string, 'name')).toBe("name is undefined, not text: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
    expect(checkDnsSubdomain(42 as unknown as string, 'Deployment name')).toMatch(/^Deployment name is 42, not text: use at most 253/);
    expect(checkLabelValue(5 as unknown as string, 'podLabels team')).toMatch(/^podLabels team is 5, not text: use at most 63/);
  });

  test('DNS-1123 subdomains allow dots', () => {
    expect(checkDnsSubdomain('config.v1', 'name')).toBeUndefined();
    expect(checkDnsSubdomain('config..v1', 'name')).toMatch(/DNS-1123 subdomain/);
  });
});

describe('ports', () => {
  test.each([0, -1, 65536, 1.5])('%d is outside 1-65535', (p) => expect(checkPort(p, 'port')).toMatch(/outside 1-65535/));
  test.each([1, 3000, 65535])('%d is a port', (p) => expect(checkPort(p, 'port')).toBeUndefined());
});

describe('images', () => {
  const digest = `sha256:${'0'.repeat(64)}`;
  test('a versioned tag passes; digest required only when asked', () => {
    expect(checkImage('docker.io/leigg/go_multiroute:v1', 'image', false)).toBeUndefined();
    expect(checkImage('docker.io/leigg/go_multiroute:v1', 'image', true)).toMatch(/has no digest, and this environment requires one: append @sha256:/);
    expect(checkImage(`docker.io/leigg/go_multiroute:v1@${digest}`, 'image', true)).toBeUndefined();
    expect(checkImage(`localhost:5000/app:1.0@${digest}`, 'image', true)).toBeUndefined();
  });

  test('no tag and latest are refused, with the fix', () => {
    expect(checkImage('nginx', 'image', false)).toMatch(/has no tag: pin a versioned tag, e.g. nginx:v1/);
    expect(checkImage(`nginx@${digest}`, 'image', false)).toMatch(/has no tag/);
    expect(checkImage('nginx:latest', 'image', false)).toMatch(/uses the tag "latest".*pin a versioned tag/);
    expect(checkImage('Nginx:1.0', 'image', false)).toMatch(/is not an image reference/);
  });

  test('a tag without a digit names a line, not a version, and is refused unless a digest pins it', () => {
    for (const tag of ['stable', 'main', 'alpine', 'edge']) {
      expect(checkImage(`reg/x:${tag}`, 'image', false)).toMatch(new RegExp(`uses the tag "${tag}", which names no version and moves under you as latest does: pin a versioned tag, e.g. reg/x:v1, or add its @sha256 digest`));
    }
    expect(checkImage(`reg/x:stable@${digest}`, 'image', false)).toBeUndefined();
    for (const tag of ['v1', '1.25.3', '2024-01-15', '8.0-debian', 'jdk17']) expect(checkImage(`reg/x:${tag}`, 'image', false)).toBeUndefined();
  });

  // docker/distribution's reference grammar (v2.8.2, reference/regexp.go), which the container runtimes parse with
  test.each(['registry.example.com/my__app:v1', 'registry.example.com/my--app:v1', 'registry.example.com/my.app_x:v1', 'Registry.Example.com/app:v1', 'registry.example.com:5000/a/b/c:v1'])(
    '%s is an image reference',
    (image) => expect(checkImage(image, 'image', false)).toBeUndefined(),
  );
  test.each(['app:v1:v2', 'a/b:c:d', 'app_:v1', 'a/-b:v1', 'a/B:v1', `${'a'.repeat(256)}:v1`])('%s is not an image reference', (image) =>
    expect(checkImage(image, 'image', false)).toMatch(/is not an image reference/),
  );
  // with the upstream separator `[-]*` as written, these would backtrack for longer than any test run
  test('a long reference that goes wrong at its end is refused', () => {
    for (const image of [`${'a-'.repeat(5000)}!`, `${'a.'.repeat(5000)}!`, `${'a'.repeat(20000)}:`]) expect(checkImage(image, 'image', false)).toMatch(/is not an image reference/);
  });
});

describe('CIDRs', () => {
  test('valid IPv4 and IPv6 blocks', () => {
    expect(checkCidr('10.0.0.0/24', 'cidr')).toBeUndefined();
    expect(checkCidr('fd00::/8', 'cidr')).toBeUndefined();
  });
  test.each(['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'fd00::/129', 'x/8'])('%s is refused', (c) => expect(checkCidr(c, 'cidr')).toMatch(/CIDR/));
  test('an IPv4 address is read as Kubernetes reads it (ParseCIDRSloppy): leading zeros are decimal, and fewer than four parts no address', () => {
    expect(checkCidr('010.0.0.0/8', 'cidr')).toMatch(/is not in canonical form: write 10\.0\.0\.0\/8 /);
    expect(checkCidr('10.0.0.0/08', 'cidr')).toMatch(/write 10\.0\.0\.0\/8 /);
    expect(checkCidr('10/8', 'cidr')).toMatch(/"10\/8" is not a valid CIDR/);
    expect(checkCidr('10.1.2/24', 'cidr')).toMatch(/is not a valid CIDR/);
  });
  test('containment', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.5.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.0/24')).toBe(false);
    expect(cidrContains('10.0.0.0/24', '10.0.0.0/16')).toBe(false);
  });
});
