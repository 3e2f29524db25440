/** One target of the issues checked against a run's figures (null: not measured in this run). */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}
