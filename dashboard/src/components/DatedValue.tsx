import { relativeAge, ageInDays } from '../views/patient/summaries';

/**
 * A date as a clinician reads it at a glance: how long ago, then the day ("3 y ago · 2019-04-02"), with a
 * stale mark when it is older than the maximum age the risk model allows (issue 21). `stale` given by the
 * API wins; otherwise it is worked out from `maxAgeDays`, as the risk model counts days.
 */
export function DatedValue(props: { at: string | null | undefined; maxAgeDays?: number | null; stale?: boolean; staleWhy?: string; testId?: string }) {
  if (!props.at) return <span class="muted" data-testid={props.testId}>undated</span>;
  const now = Date.now();
  const days = ageInDays(props.at, now);
  const stale = props.stale ?? (props.maxAgeDays !== null && props.maxAgeDays !== undefined && days > props.maxAgeDays);
  return (
    <span class="dated" data-testid={props.testId} data-stale={stale ? 'true' : 'false'}>
      <time dateTime={props.at} title={props.at}>
        {relativeAge(props.at, now)} · {props.at.slice(0, 10)}
      </time>
      {stale && ' '}
      {stale && (
        <span class="stale" data-testid="stale-mark" title={props.staleWhy ?? (props.maxAgeDays ? `older than ${props.maxAgeDays} days, the most the risk model accepts` : 'older than the risk model accepts')}>
          stale
        </span>
      )}
    </span>
  );
}
