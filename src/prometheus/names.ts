/**
 * The metric names the audit reads, declared once. prom-client's default Node metrics
 * (collectDefaultMetrics) expose the event-loop delay from perf_hooks.monitorEventLoopDelay.
 */
export const LAG = {
  p99: 'nodejs_eventloop_lag_p99_seconds',
  /** The instantaneous lag (a setImmediate round trip), older prom-client versions only. */
  instant: 'nodejs_eventloop_lag_seconds',
  max: 'nodejs_eventloop_lag_max_seconds',
  min: 'nodejs_eventloop_lag_min_seconds',
  mean: 'nodejs_eventloop_lag_mean_seconds',
} as const;

/** The stream gauge's default name (`stream.disconnect.gauge`); the reference server exports it. */
export const ACTIVE_STREAMS = 'sse_active_streams';

/** Standard process metric (prom-client, client_python): when the process started, in Unix seconds. */
export const PROCESS_START = 'process_start_time_seconds';

/** What a metric-name config field accepts (the exposition format's metric name). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
