// Issue 15, part 7: the Grafana dashboard in deploy/ queries the metrics a node exports. Every
// query is parsed with Prometheus' own PromQL grammar (lezer-promql), and every metric it
// selects must be in a real node's scrape, of a type the query can use.
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/runtimeInfo';
import { useTestStack } from '@callcenter/devstack/testing';
import { scrape } from './support/scrape';

const TOKEN = 'dashboard-test-token-0123456789';
const suite = useTestStack({
  config: { metrics: { token: TOKEN, port: null, host: '127.0.0.1' } },
});
const root = findRepoRoot();

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

function queriesOf(panels: Panel[]): { panel: string; expr: string }[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr })),
    ...queriesOf(panel.panels ?? []),
  ]);
}

/** The metric names a PromQL expression selects; throws on a syntax error. */
function selectedMetrics(expr: string): string[] {
  // Grafana fills its interval variables in before Prometheus sees the query.
  const promql = expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m');
  const names: string[] = [];
  parser.parse(promql).iterate({
    enter: (node) => {
      if (node.type.isError) throw new Error(`${expr}: syntax error at ${node.from}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(promql.slice(node.from, node.to));
      }
    },
  });
  return names;
}

const HISTOGRAM_SERIES = /^(.*)_(bucket|sum|count)$/;

describe('the Grafana dashboard', () => {
  it('queries only metrics the node exports, each as its type allows', async () => {
    const dashboard = JSON.parse(
      readFileSync(`${root}/deploy/grafana/callcenter-dashboard.json`, 'utf8'),
    ) as { uid: string; panels: Panel[] };
    const queries = queriesOf(dashboard.panels);
    expect(queries.length).toBeGreaterThan(15);

    const scraped = await scrape(suite.stack.url, TOKEN);
    const exported = new Map(scraped.names().map((name) => [name, scraped.family(name).type]));
    const used = new Set<string>();
    for (const { panel, expr } of queries) {
      const names = selectedMetrics(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        const series = HISTOGRAM_SERIES.exec(name);
        const histogram = series?.[1] !== undefined && exported.get(series[1]) === 'histogram';
        const family = histogram ? series[1]! : name;
        expect(exported.get(family), `${panel}: ${name} is not exported`).toBeDefined();
        // A histogram is read through its _bucket, _sum or _count series, never by its name.
        if (!histogram) expect(exported.get(family), `${panel}: ${name}`).not.toBe('histogram');
        if (expr.includes('histogram_quantile')) expect(series?.[2]).toBe('bucket');
        used.add(family);
      }
    }
    // The list: each has a panel.
    for (const name of [
      'callcenter_queue_depth',
      'callcenter_queue_wait_longest_seconds',
      'callcenter_queue_wait_average_seconds',
      'callcenter_chat_takes_total',
      'callcenter_messages_received_total',
      'callcenter_messages_delivered_total',
      'callcenter_message_delivery_seconds',
      'callcenter_sockets',
      'callcenter_redis_command_duration_seconds',
      'callcenter_store_command_duration_seconds',
      'callcenter_errors_total',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('is what Grafana is provisioned with, from the Prometheus that scrapes the nodes', () => {
    const compose = readFileSync(`${root}/deploy/compose.yaml`, 'utf8');
    const prometheus = readFileSync(`${root}/deploy/prometheus.yml`, 'utf8');
    const datasource = readFileSync(
      `${root}/deploy/grafana/provisioning/datasources/prometheus.yaml`,
      'utf8',
    );
    const port = /METRICS_PORT: '(\d+)'/.exec(compose)?.[1];
    expect(port).toBeDefined();
    expect(prometheus).toContain(`['server-1:${port}', 'server-2:${port}']`);
    expect(compose).toContain('./grafana/callcenter-dashboard.json:/var/lib/grafana/dashboards/');
    // Every panel's data source is the provisioned one.
    const dashboard = readFileSync(`${root}/deploy/grafana/callcenter-dashboard.json`, 'utf8');
    const uids = new Set([...dashboard.matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1]));
    expect(uids).toEqual(new Set(['callcenter', 'prometheus']));
    expect(datasource).toContain('uid: prometheus');
  });
});
