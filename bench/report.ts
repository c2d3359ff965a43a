/**
 * The benchmark's results: medians per size and tool, the summary numbers checked
 * against the targets, a markdown table and a log-log plot (SVG, written by hand).
 */

export interface Run {
  readonly n: number;
  readonly tool: string;
  /** Median wall time of the timed part, seconds (null when stopped at the limit). */
  readonly wall_s: number | null;
  /** Median peak resident set size, MiB (null where it could not be read). */
  readonly rss_mb: number | null;
  /** Median time from process start to the timed part (imports, input loading), seconds. */
  readonly startup_s: number | null;
  /** Every repetition's wall time, seconds. */
  readonly samples_s: readonly number[];
  /** Set when a repetition ran past the time limit and was stopped: the limit, seconds. */
  readonly stopped_after_s?: number;
}

export interface Summary {
  readonly runs: readonly Run[];
  /** ours / floor (our YAML writer and the write) at the largest N. */
  readonly ratio_floor: number | null;
  /** ours / write (only writing the same bytes) at the largest N: what synth costs over its output. */
  readonly ratio_write: number | null;
  /** ours / json (`JSON.stringify` and the write) at the largest N. */
  readonly ratio_json: number | null;
  /** one-thread (ours on one thread) / write at the largest N. */
  readonly ratio_write_one_thread: number | null;
  /** naive / ours at the largest N. */
  readonly speedup_naive: number | null;
  /** Growth exponent of ours between the two largest N: log(t_big / t_small) / log(N_big / N_small). */
  readonly exponent: number | null;
  /** Peak RSS of ours at the largest N, MiB. */
  readonly peak_rss_mb: number | null;
  /** The N the summary numbers are taken at. */
  readonly at_n: number;
  /** The reference platform's `npm run -s synth` from a cold process, median seconds (null when not measured). */
  readonly cold_synth_s: number | null;
  /** From saving a one-line change of the reference platform to its files written by `synth --watch`, median seconds. */
  readonly watch_resynth_s: number | null;
}

/** What is measured beside the tools' runs. */
export interface ProjectTimes {
  readonly cold_synth_s: number | null;
  readonly watch_resynth_s: number | null;
}

export interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly limit: number;
  readonly kind: 'max' | 'min';
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function wall(runs: readonly Run[], tool: string, n: number): number | undefined {
  return runs.find((r) => r.tool === tool && r.n === n)?.wall_s ?? undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a !== undefined && b !== undefined && b > 0 ? a / b : null;
}

export function summarize(runs: readonly Run[], times: ProjectTimes): Summary {
  const sizes = [...new Set(runs.map((r) => r.n))].sort((a, b) => a - b);
  const big = sizes[sizes.length - 1];
  const small = sizes[sizes.length - 2];
  const growth = ratio(wall(runs, 'ours', big), wall(runs, 'ours', small));
  return {
    runs,
    ratio_floor: ratio(wall(runs, 'ours', big), wall(runs, 'floor', big)),
    ratio_write: ratio(wall(runs, 'ours', big), wall(runs, 'write', big)),
    ratio_json: ratio(wall(runs, 'ours', big), wall(runs, 'json', big)),
    ratio_write_one_thread: ratio(wall(runs, 'one-thread', big), wall(runs, 'write', big)),
    speedup_naive: ratio(wall(runs, 'naive', big), wall(runs, 'ours', big)),
    exponent: growth === null || small === undefined ? null : Math.log(growth) / Math.log(big / small),
    peak_rss_mb: runs.find((r) => r.tool === 'ours' && r.n === big)?.rss_mb ?? null,
    at_n: big,
    ...times,
  };
}

/** The targets at N=1000 x 4 environments on the 2-core machine (issue 15). */
export const LIMITS = {
  /** ours at most this many times the cost of writing its bytes */
  ratioWrite: 3,
  /** the naive cdk8s-plus app at least this many times slower than ours */
  speedupNaive: 40,
  /** growth from N=100 to N=1000 close to linear */
  exponent: 1.05,
  peakRssMb: 400,
  coldSynthS: 0.3,
  watchResynthS: 0.15,
} as const;

export function targets(s: Summary): Target[] {
  return [
    { name: `ours / write at N=${s.at_n}`, value: s.ratio_write, limit: LIMITS.ratioWrite, kind: 'max' },
    { name: `naive / ours at N=${s.at_n}`, value: s.speedup_naive, limit: LIMITS.speedupNaive, kind: 'min' },
    { name: 'growth exponent of ours', value: s.exponent, limit: LIMITS.exponent, kind: 'max' },
    { name: `peak RSS of ours at N=${s.at_n} (MiB)`, value: s.peak_rss_mb, limit: LIMITS.peakRssMb, kind: 'max' },
    { name: 'reference platform `npm run -s synth`, cold (s)', value: s.cold_synth_s, limit: LIMITS.coldSynthS, kind: 'max' },
    { name: '`synth --watch` after a one-line change (s)', value: s.watch_resynth_s, limit: LIMITS.watchResynthS, kind: 'max' },
  ];
}

export function met(t: Target): boolean {
  return t.value !== null && (t.kind === 'max' ? t.value <= t.limit : t.value >= t.limit);
}

const fmt = (value: number | null, digits = 2): string => (value === null ? 'n/a' : value.toFixed(digits));

/** The N the targets are set for. */
export const TARGET_N = 1000;

function timeCell(r: Run | undefined): string {
  if (!r) return 'not run';
  return r.stopped_after_s !== undefined ? `> ${r.stopped_after_s} (stopped)` : fmt(r.wall_s, 3);
}

export function markdown(s: Summary, tools: readonly string[], environments: number): string {
  const sizes = [...new Set(s.runs.map((r) => r.n))].sort((a, b) => a - b);
  const lines = [
    `| N services (x ${environments} envs) | ${tools.map((t) => `${t} s`).join(' | ')} | ${tools.map((t) => `${t} MiB`).join(' | ')} |`,
    `| ---: | ${tools.map(() => '---:').join(' | ')} | ${tools.map(() => '---:').join(' | ')} |`,
  ];
  for (const n of sizes) {
    const row = tools.map((t) => s.runs.find((r) => r.n === n && r.tool === t));
    lines.push(`| ${n} | ${row.map(timeCell).join(' | ')} | ${row.map((r) => fmt(r?.rss_mb ?? null, 0)).join(' | ')} |`);
  }
  lines.push('', `Ratios at N=${s.at_n}: ours / write ${fmt(s.ratio_write)}, ours / json ${fmt(s.ratio_json)}, ours / floor ${fmt(s.ratio_floor)}, one-thread / write ${fmt(s.ratio_write_one_thread)}, naive / ours ${fmt(s.speedup_naive)}.`);
  const note = s.at_n === TARGET_N ? '' : ` (the targets are for N=${TARGET_N}; this run stops at N=${s.at_n})`;
  lines.push('', `| target${note} | measured | limit | |`, '| --- | ---: | ---: | --- |');
  for (const t of targets(s)) lines.push(`| ${t.name} | ${fmt(t.value, t.limit < 1 ? 3 : 2)} | ${t.kind === 'max' ? '<=' : '>='} ${t.limit} | ${met(t) ? 'met' : 'missed'} |`);
  return `${lines.join('\n')}\n`;
}

const COLOURS: Record<string, string> = { ours: '#1b7837', 'one-thread': '#7fbc41', floor: '#555555', write: '#999999', json: '#e08214', naive: '#c51b7d', kustomize: '#2166ac' };

/** A run's time on the plot: its median, or its limit when it was stopped. */
function plotted(r: Run): number | undefined {
  return r.wall_s ?? r.stopped_after_s;
}

/** Log-log plot of wall time against N, one line per tool; a stopped run is an open marker with an arrow up. */
export function svgPlot(s: Summary, tools: readonly string[], title: string): string {
  const width = 640;
  const height = 420;
  const m = { left: 70, right: 130, top: 40, bottom: 50 };
  const sizes = [...new Set(s.runs.map((r) => r.n))].sort((a, b) => a - b);
  const times = s.runs.map(plotted).filter((t): t is number => t !== undefined && t > 0);
  const xMin = Math.floor(Math.log10(sizes[0]));
  const xMax = Math.max(xMin + 1, Math.ceil(Math.log10(sizes[sizes.length - 1])));
  const yMin = Math.floor(Math.log10(Math.min(...times)));
  const yMax = Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(...times))));
  const x = (n: number) => m.left + ((Math.log10(n) - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const y = (t: number) => height - m.bottom - ((Math.log10(t) - yMin) / (yMax - yMin)) * (height - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
  ];
  for (let e = xMin; e <= xMax; e++) {
    const px = x(10 ** e).toFixed(1);
    out.push(`<line x1="${px}" y1="${m.top}" x2="${px}" y2="${height - m.bottom}" stroke="#dddddd"/>`);
    out.push(`<text x="${px}" y="${height - m.bottom + 18}" text-anchor="middle">${10 ** e}</text>`);
  }
  for (let e = yMin; e <= yMax; e++) {
    const py = y(10 ** e).toFixed(1);
    out.push(`<line x1="${m.left}" y1="${py}" x2="${width - m.right}" y2="${py}" stroke="#dddddd"/>`);
    out.push(`<text x="${m.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${e < 0 ? (10 ** e).toFixed(-e) : 10 ** e} s</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 12}" text-anchor="middle">services (N), each in 4 environments</text>`);
  out.push(`<text x="16" y="${(m.top + height - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.top + height - m.bottom) / 2})">wall time (median)</text>`);
  tools.forEach((tool, i) => {
    const colour = COLOURS[tool] ?? '#000000';
    const points = s.runs
      .filter((r) => r.tool === tool && (plotted(r) ?? 0) > 0)
      .sort((a, b) => a.n - b.n)
      .map((r) => ({ px: x(r.n), py: y(plotted(r) ?? 1), stopped: r.wall_s === null, limit: r.stopped_after_s }));
    const line = (from: { px: number; py: number }, to: { px: number; py: number; stopped: boolean }) =>
      `<line x1="${from.px.toFixed(1)}" y1="${from.py.toFixed(1)}" x2="${to.px.toFixed(1)}" y2="${to.py.toFixed(1)}" stroke="${colour}" stroke-width="2"${to.stopped ? ' stroke-dasharray="6 4"' : ''}/>`;
    // a segment to a stopped run is dashed: the real time is above its end
    for (let j = 1; j < points.length; j++) out.push(line(points[j - 1], points[j]));
    for (const p of points) {
      const cx = p.px.toFixed(1);
      const cy = p.py.toFixed(1);
      if (!p.stopped) {
        out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colour}"/>`);
        continue;
      }
      out.push(`<circle cx="${cx}" cy="${cy}" r="4.5" fill="#ffffff" stroke="${colour}" stroke-width="2"/>`);
      out.push(`<line x1="${cx}" y1="${(p.py - 5).toFixed(1)}" x2="${cx}" y2="${(p.py - 22).toFixed(1)}" stroke="${colour}" stroke-width="2"/>`);
      out.push(`<path d="M ${(p.px - 4).toFixed(1)} ${(p.py - 18).toFixed(1)} L ${cx} ${(p.py - 25).toFixed(1)} L ${(p.px + 4).toFixed(1)} ${(p.py - 18).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      out.push(`<text x="${(p.px - 8).toFixed(1)}" y="${(p.py + 18).toFixed(1)}" text-anchor="end" fill="${colour}">stopped at ${p.limit} s</text>`);
    }
    const ly = m.top + 14 + i * 20;
    out.push(`<line x1="${width - m.right + 12}" y1="${ly}" x2="${width - m.right + 32}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${width - m.right + 38}" y="${ly}" dominant-baseline="middle">${tool}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
