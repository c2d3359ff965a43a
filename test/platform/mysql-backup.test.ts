/**
 * The nightly backup's script, run by sh as the job's container runs it, with stand-ins for
 * mysqldump and date: each run adds a dump named by its time, and the claim keeps the newest
 * BACKUPS_KEPT; a failed dump removes nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findObject, synthEnvironment } from 'k8s-iac/testing';
import project from '../../src/platform/project';
import { BACKUPS_KEPT } from '../../src/platform/mysql-backup';
import { tmpdir } from '../helpers';

const RELEASE_DIR = path.resolve(__dirname, '..', '..', 'release');

/** The script of prod's backup CronJob, as rendered. */
function renderedScript(): string {
  const cron = findObject(synthEnvironment(project, 'prod', { releaseDir: RELEASE_DIR }), { kind: 'CronJob', name: 'mysql-backup' }) as {
    spec: { jobTemplate: { spec: { template: { spec: { containers: Array<{ command: string[] }> } } } } };
  };
  const [shell, flag, script] = cron.spec.jobTemplate.spec.template.spec.containers[0].command;
  expect([shell, flag]).toEqual(['sh', '-c']);
  return script;
}

/** A folder standing in for the container: the claim, the mounted Secret, and mysqldump and date on PATH. */
function container(): { root: string; run: (failDump?: boolean) => number; dumps: () => string[] } {
  const root = tmpdir('backup');
  for (const dir of ['backups', 'secret', 'bin']) fs.mkdirSync(path.join(root, dir));
  fs.writeFileSync(path.join(root, 'secret', 'root_password'), 'pw');
  // date: a new second each call; mysqldump: writes --result-file, or fails as asked
  fs.writeFileSync(path.join(root, 'bin', 'date'), `#!/bin/sh\nn=$(cat "${root}/clock" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${root}/clock"; printf '20261206T03%04d\\n' $n\n`, { mode: 0o755 });
  fs.writeFileSync(
    path.join(root, 'bin', 'mysqldump'),
    '#!/bin/sh\n[ -z "$FAIL_DUMP" ] || exit 2\nfor a in "$@"; do case "$a" in --result-file=*) echo dump > "${a#--result-file=}";; esac; done\n',
    { mode: 0o755 },
  );
  const script = renderedScript().replaceAll('/backups', path.join(root, 'backups')).replaceAll('/etc/mysql-root', path.join(root, 'secret'));
  return {
    root,
    run: (failDump = false) =>
      spawnSync('sh', ['-c', script], { env: { PATH: `${path.join(root, 'bin')}:${process.env.PATH}`, ...(failDump ? { FAIL_DUMP: '1' } : {}) } }).status ?? -1,
    dumps: () => fs.readdirSync(path.join(root, 'backups')).sort(),
  };
}

describe('the nightly MySQL backup', () => {
  test(`keeps the newest ${BACKUPS_KEPT} dumps`, () => {
    const c = container();
    for (let night = 1; night <= BACKUPS_KEPT + 3; night++) {
      expect(c.run()).toBe(0);
      expect(c.dumps()).toHaveLength(Math.min(night, BACKUPS_KEPT));
    }
    const expected = Array.from({ length: BACKUPS_KEPT }, (_, i) => `all-20261206T03${String(i + 4).padStart(4, '0')}.sql`);
    expect(c.dumps()).toEqual(expected);
  });

  test('a failed dump fails the job and removes nothing', () => {
    const c = container();
    for (let night = 1; night <= BACKUPS_KEPT; night++) expect(c.run()).toBe(0);
    const before = c.dumps();
    expect(c.run(true)).not.toBe(0);
    expect(c.dumps()).toEqual(before);
  });
});
