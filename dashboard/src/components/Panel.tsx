import type { ComponentChildren } from 'preact';
import type { GraphQLErrorItem } from '../graphql/client';

/**
 * A titled section that shows its own state: loading, the errors of its part of a partial result
 * (one subgraph down leaves the other panels working), empty, or its content.
 */
export function Panel(props: {
  title: string;
  id: string;
  loading?: boolean;
  errors?: GraphQLErrorItem[];
  failure?: string;
  empty?: string | false | null;
  actions?: ComponentChildren;
  children?: ComponentChildren;
}) {
  const errors = props.errors ?? [];
  let body: ComponentChildren;
  if (props.failure) body = <p class="error" role="alert">{props.failure}</p>;
  else if (errors.length) {
    body = (
      <p class="error" role="alert">
        Not available: {[...new Set(errors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`))].join('; ')}
      </p>
    );
  } else if (props.loading) body = <p class="loading">Loading…</p>;
  else if (props.empty) body = <p class="empty">{props.empty}</p>;
  else body = props.children;
  return (
    <section class="panel" data-testid={`panel-${props.id}`} aria-busy={props.loading ? 'true' : 'false'}>
      <h2>
        {props.title}
        {props.actions && <span class="actions">{props.actions}</span>}
      </h2>
      {body}
    </section>
  );
}

/** Risk values arrive in percent (0–100), as the inference schema documents. */
export const percent = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '—' : `${value.toFixed(digits)} %`);
export const date = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
