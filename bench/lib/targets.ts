/** Which target a check is: what the run's notes look a miss up by. */
export type TargetId =
  | 'delivery-p99'
  | 'cpu-per-message'
  | 'throughput-ceiling'
  | 'start-chat'
  | 'idle-connection-rss'
  | 'two-nodes'
  | 'first-sync'
  | 'replay'
  | 'reconnect-storm'
  | 'call-setup'
  | 'call-signalling';

/** One target of the issues checked against a run's figures (null: not measured in this run). */
export interface TargetCheck {
  id: TargetId;
  /** As the results show it, with the run's sizes. */
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}
