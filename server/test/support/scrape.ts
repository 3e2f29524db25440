import {
  getMetricsFromIterator,
  type PromHistogramData,
  type PromMetric,
  type PromMetrics,
} from 'prom2javascript';

type Labels = Record<string, string>;

function matches(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** A scrape of GET /metrics, parsed by a Prometheus text-format parser. */
export class Scraped {
  private constructor(
    readonly text: string,
    readonly metrics: PromMetrics,
    /** Samples whose value is NaN (valid in the format; the parser has no way to hold one). */
    readonly notANumber: string[],
  ) {}

  static async parse(text: string): Promise<Scraped> {
    // prom-client writes NaN as `Nan` (an event loop lag before its first sample): Prometheus
    // reads it, prom2javascript refuses the line. Such samples are set aside, by series.
    const nan = /^([^\s{]+(?:\{.*\})?)\s+nan(?:\s+-?\d+)?$/i;
    const lines = text.split('\n');
    const notANumber = lines.flatMap((line) => nan.exec(line)?.[1] ?? []);
    const parsed = await getMetricsFromIterator(
      lines.filter((line) => !nan.test(line))[Symbol.iterator](),
    );
    return new Scraped(text, parsed, notANumber);
  }

  /** Every metric family's name. */
  names(): string[] {
    return Object.keys(this.metrics);
  }

  family(name: string): PromMetric {
    const family = this.metrics[name];
    if (family === undefined) throw new Error(`no metric ${name} in the scrape`);
    return family;
  }

  /** The series of `name` whose labels include `labels`; at most one may match. */
  private series(name: string, labels: Labels): { value?: number; count?: number } | undefined {
    type Series = { labels: Labels; value?: number; count?: number };
    const found = (this.family(name).data as Series[]).filter((d) => matches(d.labels, labels));
    if (found.length > 1) {
      throw new Error(`${name}${JSON.stringify(labels)} matches ${found.length} series`);
    }
    return found[0];
  }

  /** A counter's or gauge's value; 0 for a series not (yet) in the scrape. */
  value(name: string, labels: Labels = {}): number {
    return this.series(name, labels)?.value ?? 0;
  }

  /** A histogram's observation count; 0 for a series not (yet) in the scrape. */
  count(name: string, labels: Labels = {}): number {
    const series = this.series(name, labels) as PromHistogramData | undefined;
    return series?.count ?? 0;
  }

  /** A counter's values summed over every series matching `labels`. */
  total(name: string, labels: Labels = {}): number {
    return (this.family(name).data as { labels: Labels; value: number }[])
      .filter((d) => matches(d.labels, labels))
      .reduce((sum, d) => sum + d.value, 0);
  }
}

/** GET /metrics at `baseUrl`, with the token when given; the raw answer. */
export async function getMetrics(baseUrl: string, token?: string): Promise<Response> {
  return fetch(`${baseUrl}/metrics`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

/** A successful scrape, parsed. */
export async function scrape(baseUrl: string, token?: string): Promise<Scraped> {
  const response = await getMetrics(baseUrl, token);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics: ${response.status} ${text}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) throw new Error(`GET /metrics content type ${type}`);
  return Scraped.parse(text);
}
