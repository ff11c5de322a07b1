/**
 * Whether a sharded night is whole. A shard that never uploaded its blob (install failed, runner
 * lost) is simply absent from the merged report, which alone would read "all passed": a night is
 * red unless every shard job succeeded and the merged total is what `playwright test --list` counts.
 */

/** What of a run summary (scripts/job-summary.ts) the judgement reads and amends. */
export interface Judged {
  total: number;
  colour: 'green' | 'flaky' | 'red';
  runErrors: string[];
  /** Why the night is incomplete, for the headline. */
  incomplete?: string;
}

export interface ShardEvidence {
  /** The suite's own count of tests (`playwright test --list`); NaN when the count failed. */
  listed?: number;
  /** `needs.<shard job>.result`: success only when every shard job succeeded. */
  shardJobs?: string;
}

/** The summary, red with a run error for each way the night is incomplete. */
export function judgeCompleteness<T extends Judged>(summary: T, { listed, shardJobs }: ShardEvidence): T {
  const problems: string[] = [];
  if (listed !== undefined && !Number.isFinite(listed)) {
    problems.push('the suite could not be counted (playwright test --list failed), so a missing shard would go unseen');
  } else if (listed !== undefined && summary.total !== listed) {
    problems.push(`the merged results hold ${summary.total} of the ${listed} tests --list counts: a shard's results are missing`);
  }
  // A red shard job is explained by a failed or flaky test (failOnFlakyTests); a green night is not.
  if (shardJobs !== undefined && shardJobs !== 'success' && summary.colour === 'green') {
    problems.push(`a shard job ended "${shardJobs}" though the results it uploaded show no failure: read that shard's log`);
  }
  if (problems.length === 0) return summary;
  return { ...summary, runErrors: [...summary.runErrors, ...problems], incomplete: problems[0], colour: 'red' };
}
