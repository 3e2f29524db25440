// `npm run bench`: the load suite (delivery latency, throughput, Start Chat races, memory per
// connection, churn) lands with the benchmark issue. Until then this says so and measures nothing.
process.stdout.write(
  'No benchmarks yet: the load suite arrives with the "Horizontal scale and benchmarks" issue.\n',
);
