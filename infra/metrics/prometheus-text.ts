/** One sample of a metric: its labels (already safe: names of our own topics and projections) and value. */
export type Sample = { labels?: Record<string, string | number>; value: number };

/** A metric family in Prometheus text exposition format, with its HELP and TYPE lines. */
export function metricFamily(name: string, type: 'gauge' | 'counter', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const { labels, value } of samples) {
    const pairs = Object.entries(labels ?? {}).map(([key, v]) => `${key}="${String(v).replace(/["\\\n]/g, '_')}"`);
    lines.push(`${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${Number.isFinite(value) ? value : 0}`);
  }
  return `${lines.join('\n')}\n`;
}
