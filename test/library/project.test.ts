import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppDeployment, type AppDeploymentProps, defineEnvironments, defineProject, main, NamespacedApp, PLATFORM_DEFAULTS, type PlatformSettingsInput, Project, ReleasedService, SynthError, synthManifests, type Release } from 'k8s-iac';
import { environmentSnapshot, findObject, findObjects, synthEnvironment, synthProblems, synthWarnings } from 'k8s-iac/testing';
import { DIGEST_IMAGE, LIMITS, QUOTA, tmpdir } from '../helpers';

/** A consumer's own values type and environments: not the reference platform's. */
interface ShopValues {
  readonly replicas: number;
  readonly cpuQuota: string;
}

const OWNER = { team: 'shop', email: 'shop@example.com' };

const environments = defineEnvironments<ShopValues>()({
  qa: { settings: { owner: OWNER, requireImageDigest: false }, values: { replicas: 2, cpuQuota: '4' } },
  live: { settings: { owner: OWNER }, values: { replicas: 3, cpuQuota: '4' } },
});

function shopProject(values: Partial<Record<'qa' | 'live', Partial<ShopValues>>> = {}, releaseDir?: string) {
  return defineProject({
    environments,
    releaseApps: ['web'],
    releaseDir,
    build(scope, env, release) {
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: { ...QUOTA, requests: { ...QUOTA.requests, cpu: values[env.name]?.cpuQuota ?? env.values.cpuQuota } }, limits: LIMITS });
      new ReleasedService(ns, 'Web', {
        name: 'web',
        strategy: 'canary',
        release: release.app('web'),
        releaseSource: release.file,
        replicas: values[env.name]?.replicas ?? env.values.replicas,
        ports: [{ name: 'http', port: 8080 }],
        pod: (v) => ({
          container: {
            image: v.image,
            ports: [{ name: 'http', port: 8080 }],
            resources: { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
          },
        }),
        routing: { traffic: { kind: 'ingress-nginx', className: 'nginx' }, host: `shop.${env.name}.example.com`, paths: [{ path: '/' }] },
      });
    },
  });
}

/** Release files for both environments: a stable version, and a canary at 10% in qa. */
function releases(): string {
  const dir = tmpdir('shop-release');
  const stable = { version: 'v1', image: DIGEST_IMAGE };
  fs.writeFileSync(path.join(dir, 'qa.json'), JSON.stringify({ apps: { web: { stable, canary: { version: 'v2', image: DIGEST_IMAGE, weight: 10 } } } }));
  fs.writeFileSync(path.join(dir, 'live.json'), JSON.stringify({ apps: { web: { stable } } }));
  return dir;
}

describe('environments are the user\'s', () => {
  test('names in the order written, settings over the safe defaults, values as given', () => {
    expect(environments.names).toEqual(['qa', 'live']);
    const live = environments.get('live');
    expect(live.settings).toEqual({ name: 'live', ...PLATFORM_DEFAULTS, owner: OWNER });
    expect(live.settings.requireImageDigest).toBe(true);
    expect(environments.get('qa').settings.requireImageDigest).toBe(false);
    expect(live.values).toEqual({ replicas: 3, cpuQuota: '4' });
  });

  test('an unknown name lists the known ones; a name that cannot be a folder is refused', () => {
    expect(() => environments.get('prod')).toThrow('unknown environment "prod": use one of qa, live');
    expect(() => defineEnvironments<ShopValues>()({ 'Live Env': { settings: { owner: OWNER }, values: { replicas: 1, cpuQuota: '1' } } })).toThrow(/"Live Env" cannot name an environment/);
  });

  test('"gitops" is refused: it is the folder of the GitOps objects beside the environment folders', () => {
    const env = { settings: { owner: OWNER }, values: { replicas: 1, cpuQuota: '1' } };
    expect(() => defineEnvironments<ShopValues>()({ gitops: env, live: env })).toThrow(
      'defineEnvironments: "gitops" cannot name an environment: <outdir>/gitops/ holds the Argo CD and Flux objects of every environment, so the two would share a folder: give the environment another name',
    );
    expect(defineEnvironments<ShopValues>()({ 'gitops-live': env }).names).toEqual(['gitops-live']);
  });

  test('a missing value does not compile', () => {
    // @ts-expect-error cpuQuota is missing from qa's values
    defineEnvironments<ShopValues>()({ qa: { settings: { owner: OWNER }, values: { replicas: 2 } } });
    // @ts-expect-error the owner is the one setting without a default
    defineEnvironments<ShopValues>()({ qa: { settings: {}, values: { replicas: 2, cpuQuota: '1' } } });
  });
});

describe('the testing helpers from a subfolder of the project', () => {
  /** A project folder: package.json with a "k8s-iac" field, release/, and a test/ subfolder. */
  function projectFolder(): string {
    const root = tmpdir('shop-root');
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'shop', 'k8s-iac': { project: 'lib/project.js' } }));
    fs.cpSync(releases(), path.join(root, 'release'), { recursive: true });
    fs.mkdirSync(path.join(root, 'test', 'unit'), { recursive: true });
    return root;
  }

  /** What `run` returns with the working folder `dir`. */
  function inFolder<T>(dir: string, run: () => T): T {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      return run();
    } finally {
      process.chdir(cwd);
    }
  }

  test('read release/ from the project\'s root and name files from there, as the command does', () => {
    const root = projectFolder();
    const project = shopProject();
    const fromRoot = inFolder(root, () => environmentSnapshot(project, 'qa'));
    expect(inFolder(path.join(root, 'test', 'unit'), () => environmentSnapshot(project, 'qa'))).toEqual(fromRoot);
    expect(inFolder(path.join(root, 'test'), () => findObjects(synthEnvironment(project, 'qa'), { kind: 'Deployment' }).map((d) => d.metadata?.name))).toEqual(['web', 'web-canary']);
    // a message that names the release file names it the same way from either folder
    const failing = defineProject({
      environments,
      releaseApps: ['web'],
      build(_scope, _env, release) {
        throw new Error(`${release.file}: a test failure`);
      },
    });
    const problems = inFolder(root, () => synthProblems(() => synthEnvironment(failing, 'live')));
    expect(problems).toEqual([expect.stringMatching(/^\[live\] release\/live\.json: a test failure/)]);
    expect(inFolder(path.join(root, 'test'), () => synthProblems(() => synthEnvironment(failing, 'live')))).toEqual(problems);
  });

  test('a releaseDir given is read from the working folder', () => {
    const root = projectFolder();
    const problems = inFolder(path.join(root, 'test'), () => synthProblems(() => synthEnvironment(shopProject(), 'qa', { releaseDir: 'fixtures' })));
    // read from the working folder, and named, as every file is, from the project's root
    expect(problems).toEqual([expect.stringMatching(/^\[qa\] test\/fixtures\/qa\.json: does not exist/)]);
    fs.cpSync(path.join(root, 'release'), path.join(root, 'test', 'fixtures'), { recursive: true });
    expect(inFolder(path.join(root, 'test'), () => environmentSnapshot(shopProject(), 'qa', { releaseDir: 'fixtures' }))).toEqual(inFolder(root, () => environmentSnapshot(shopProject(), 'qa')));
  });
});

describe('a project of its own', () => {
  const project = shopProject({}, releases());

  test('is a Project by its symbol', () => {
    expect(Project.isProject(project)).toBe(true);
    expect(Project.isProject({ environments })).toBe(false);
  });

  test('synthesizes each environment with the canary only where its release has one', () => {
    const qa = synthEnvironment(project, 'qa');
    expect(findObjects(qa, { kind: 'Deployment' }).map((d) => d.metadata?.name)).toEqual(['web', 'web-canary']);
    expect(findObject(qa, { kind: 'Ingress', name: 'web-canary' }).metadata).toMatchObject({ annotations: { 'nginx.ingress.kubernetes.io/canary-weight': '10' } });
    const live = synthEnvironment(project, 'live');
    expect(findObjects(live, { kind: 'Deployment' }).map((d) => d.metadata?.name)).toEqual(['web']);
    expect(Object.keys(environmentSnapshot(project, 'live'))).toContain('kustomization.yaml');
  });

  test('an environment the project does not have does not compile; a plain Project or a narrowed string takes any name', () => {
    const unknown = 'unknown environment "prdo": use one of qa, live';
    // @ts-expect-error prdo is not one of the project's environments (qa, live)
    expect(() => synthEnvironment(project, 'prdo')).toThrow(unknown);
    // @ts-expect-error prdo is not one of the project's environments (qa, live)
    expect(() => environmentSnapshot(project, 'prdo')).toThrow(unknown);
    // @ts-expect-error prdo is not one of the project's environments (qa, live)
    expect(() => synthManifests(project, 'prdo')).toThrow(unknown);
    const plain: Project = project;
    expect(() => synthEnvironment(plain, 'prdo')).toThrow(unknown);
    const name: string = ['live'][0];
    // @ts-expect-error a string may be any name: narrow it first
    expect(synthEnvironment(project, name)).not.toHaveLength(0);
    if (!project.environments.has(name)) throw new Error('expected live');
    expect(environmentSnapshot(project, name)).toEqual(environmentSnapshot(project, 'live'));
  });

  test('findObject names what there is when the query does not match one object', () => {
    expect(() => findObject(synthEnvironment(project, 'live'), { kind: 'Deployment', name: 'nope' })).toThrow(/expected one object matching \{"kind":"Deployment","name":"nope"\}, found 0: .*Deployment\/shop\/web/);
  });

  test('a release file naming an app the project does not release is an error naming the file and the field', () => {
    const dir = releases();
    fs.writeFileSync(path.join(dir, 'live.json'), JSON.stringify({ apps: { web: { stable: { version: 'v1', image: DIGEST_IMAGE } }, wbe: { stable: { version: 'v1', image: DIGEST_IMAGE } } } }));
    expect(synthProblems(() => synthEnvironment(project, 'live', { releaseDir: dir }))).toEqual([expect.stringMatching(/^\[live\] .*live.json: apps.wbe is not an app of this project: use one of web$/)]);
  });

  test('an app of releaseApps missing from a release file is reported with the file\'s other problems, and the build is not run', () => {
    const dir = releases();
    const stable = { version: 'v1', image: DIGEST_IMAGE };
    fs.writeFileSync(path.join(dir, 'qa.json'), JSON.stringify({ apps: { web: { stable, blueGreen: { active: 'red', blue: stable, green: stable } } } }));
    let built = false;
    const withDatabase = defineProject({
      environments,
      releaseApps: ['web', 'mysql'],
      releaseDir: dir,
      build(_scope, _env, release) {
        built = true;
        release.app('web');
        release.app('mysql');
      },
    });
    const problems = synthProblems(() => synthEnvironment(withDatabase, 'qa'));
    expect(problems).toEqual([
      expect.stringMatching(/^\[qa\] .*qa\.json: apps\.web\.blueGreen\.active is "red": use "blue" or "green"$/),
      expect.stringMatching(/^\[qa\] .*qa\.json: apps\.mysql is missing: add apps\.mysql\.stable \{ version, image \}/),
    ]);
    expect(built).toBe(false);
  });

  test('release.app() of an app the project does not declare names the file and the app', () => {
    const undeclared = defineProject({
      environments,
      releaseApps: ['web'],
      releaseDir: releases(),
      build(_scope, _env, release) {
        // a build in JavaScript, or through a cast, can ask for any name
        (release as Release<string>).app('mysql');
      },
    });
    expect(synthProblems(() => synthEnvironment(undeclared, 'live'))).toEqual([expect.stringMatching(/^\[live\] .*live\.json: no release for app "mysql": add apps\.mysql\.stable \{ version, image \}/)]);
  });

  test('the runner reports every problem of every environment in one run, and writes nothing', () => {
    const broken = shopProject({ qa: { cpuQuota: '1' }, live: { replicas: 40 } }, releases());
    const out = tmpdir('shop-dist');
    const errors: string[] = [];
    expect(main(['synth', '--outdir', out], { project: broken, log: () => undefined, error: (l) => void errors.push(l) })).toBe(1);
    const message = errors.join('\n');
    expect(message).toMatch(/\[qa\] shop: ResourceQuota requests.cpu is 1 but the workloads need 3 at their largest/);
    expect(message).toMatch(/\[live\] shop: ResourceQuota pods is 40 but the workloads need 50 at their largest/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('one mistake every environment makes is said once, with the environments it holds in; the problems stay one per environment', () => {
    const error = new SynthError(['[qa] shop/Web: port "htp" is not declared', '[live] shop/Web: port "htp" is not declared', '[live] shop: ResourceQuota pods is 40', 'settings file: unreadable']);
    expect(error.problems).toHaveLength(4);
    expect(error.message).toBe(
      'synth failed with 3 errors; nothing was written:\n  [qa, live] shop/Web: port "htp" is not declared\n  [live] shop: ResourceQuota pods is 40\n  settings file: unreadable',
    );
  });

  test('settings as JavaScript gives them: no owner or a string for a flag are named, a misspelt setting warned of, and the build they break adds nothing', () => {
    const settings = (input: Record<string, unknown>) => {
      const js = defineEnvironments<ShopValues>()({ qa: { settings: input as unknown as PlatformSettingsInput, values: { replicas: 2, cpuQuota: '4' } } });
      return defineProject({ environments: js, build: (scope, env) => void new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS }) });
    };
    const where = '[qa] settings of environment qa: ';
    expect(synthProblems(() => synthEnvironment(settings({ owner: OWNER, spreadAcrossZones: 'no' }), 'qa'))).toEqual([`${where}spreadAcrossZones is "no": use true or false`]);
    // a key no setting has is warned of, not refused: TypeScript takes extra keys of settings passed in a variable
    expect(synthWarnings(settings({ owner: OWNER, requireImageDigests: false }), 'qa')).toEqual([
      `${where}requireImageDigests is not a setting, so nothing reads it: if it is one misspelt, use one of owner, clusterDomain, requireImageDigest, placeholderSecrets, ingressControllerNamespace, spreadAcrossZones, nodeSelector, tolerations, storageClass, priorityClassName, nodeCount, tlsClusterIssuer`,
    ]);
    // the namespace reads the owner's team: its TypeError is the missing owner, said once
    expect(synthProblems(() => synthEnvironment(settings({}), 'qa'))).toEqual([`${where}owner is undefined: give the team that owns the objects and its address, e.g. owner: { team: 'shop', email: 'shop@example.com' }`]);
    expect(synthProblems(() => synthEnvironment(settings({ owner: { team: 'shop' } }), 'qa'))).toEqual([`${where}owner.email is undefined: give the address people reach the owning team at (the email annotation of every object), e.g. shop@example.com`]);
    // kube-linter's required-annotation-email would fail every workload of the environment
    expect(synthProblems(() => synthEnvironment(settings({ owner: { team: 'shop', email: 'shop-at-example.com' } }), 'qa'))).toEqual([
      `${where}owner.email "shop-at-example.com" is not an email address (name@domain.tld), which kube-linter's required-annotation-email asks of the annotation: give the address people reach the owning team at (the email annotation of every object), e.g. shop@example.com`,
    ]);
  });

  test('a value missing from a JavaScript build is a TypeError named with its place in the build and what to do', () => {
    const js = defineProject({
      environments,
      build(scope, env) {
        const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS });
        new AppDeployment(ns, 'Api', { name: 'api', version: 'v1' } as unknown as AppDeploymentProps);
      },
    });
    expect(synthProblems(() => synthEnvironment(js, 'qa'))).toEqual([
      expect.stringMatching(/^\[qa\] Cannot read properties of undefined \(reading '\w+'\) \(thrown in the project's build at test\/library\/project.test.ts:\d+:\d+\): a value given there is missing or not of its type \(a JavaScript project has no compiler to catch it\): give it as its type in the API documentation says$/),
    ]);
  });

  test('the runner writes one folder per environment of the project', () => {
    const out = tmpdir('shop-dist');
    expect(main(['synth', '--outdir', out], { project, log: () => undefined })).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['live', 'qa']);
  });
});
