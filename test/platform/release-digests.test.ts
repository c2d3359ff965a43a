/**
 * No invented digests: every image reference in release/<env>.json has its source
 * recorded in release/digest-sources.json, and that file lists nothing else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const RELEASE_DIR = path.resolve(__dirname, '..', '..', 'release');
const SOURCES_FILE = path.join(RELEASE_DIR, 'digest-sources.json');

interface DigestSource {
  readonly source: string;
  readonly url: string;
  readonly usedFor?: string;
}

/** Every string under an `image` key, with where it was found. */
function imagesIn(value: unknown, where: string, out: Array<{ image: string; where: string }> = []): Array<{ image: string; where: string }> {
  if (Array.isArray(value)) value.forEach((v, i) => imagesIn(v, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') out.push({ image: v, where: `${where}.${k}` });
      else imagesIn(v, `${where}.${k}`, out);
    }
  }
  return out;
}

const releaseFiles = fs
  .readdirSync(RELEASE_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'digest-sources.json')
  .sort();
const images = releaseFiles.flatMap((f) => imagesIn(JSON.parse(fs.readFileSync(path.join(RELEASE_DIR, f), 'utf8')), f));
const sources: Record<string, DigestSource> = JSON.parse(fs.readFileSync(SOURCES_FILE, 'utf8')).images;

describe('release digests', () => {
  test('the release files name images', () => {
    expect(releaseFiles).toEqual(['dev.json', 'prod.json', 'staging.json', 'test.json']);
    expect(images.length).toBeGreaterThan(0);
  });

  test('every image digest in release/*.json has a recorded source', () => {
    const unsourced = images.filter(({ image }) => image.includes('@') && !sources[image]).map(({ image, where }) => `${where}: ${image}`);
    expect(unsourced).toEqual([]);
  });

  test('every digest is a full sha256 after a versioned tag', () => {
    const bad = images.filter(({ image }) => image.includes('@') && !/^[^@\s]+:[^@:/\s]+@sha256:[0-9a-f]{64}$/.test(image)).map(({ image, where }) => `${where}: ${image}`);
    expect(bad).toEqual([]);
  });

  test('every recorded source names where the digest is published', () => {
    for (const [image, s] of Object.entries(sources)) {
      const digest = image.split('@')[1];
      expect({ image, source: s.source.length > 20, url: /^https:\/\//.test(s.url), quotesDigest: s.source.includes(digest.slice('sha256:'.length)) }).toEqual({
        image,
        source: true,
        url: true,
        quotesDigest: true,
      });
    }
  });

  test('the sources file lists only images the release files use', () => {
    const used = new Set(images.map(({ image }) => image));
    expect(Object.keys(sources).filter((image) => !used.has(image))).toEqual([]);
  });

  test('v2 runs the notes\' v1 image with the version label v2, as the notes\' own v2 release does', () => {
    const v1 = 'docker.io/leigg/go_multiroute:v1@sha256:74bf6d94ea9af3e700dfd9fe64e1cc6a04cd75fb792d994c63bbc6d69de9b7ee';
    for (const f of releaseFiles) {
      const app = JSON.parse(fs.readFileSync(path.join(RELEASE_DIR, f), 'utf8')).apps['go-multiroute'];
      const versions = [app.stable, app.canary, app.blueGreen?.blue, app.blueGreen?.green].filter(Boolean);
      for (const v of versions) expect({ f, version: v.version, image: v.image }).toEqual({ f, version: v.version, image: v1 });
    }
  });
});
