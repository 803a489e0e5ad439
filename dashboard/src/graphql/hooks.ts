import { useEffect, useState } from 'preact/hooks';
import type { TypedDocumentString } from '../gql/graphql';
import { execute, RequestError, type Result } from './client';
import { useSessionContext } from '../session-context';

export interface QueryState<T> {
  loading: boolean;
  result?: Result<T>;
  /** The request failed as a whole (gateway down); session problems go to the session screen instead. */
  failure?: string;
}

/** Runs a query when its variables change; `skip` leaves it idle. */
export function useQuery<T, V>(document: TypedDocumentString<T, V>, variables: V, skip = false): QueryState<T> & { reload(): void } {
  const { session, expire } = useSessionContext();
  const [state, setState] = useState<QueryState<T>>({ loading: !skip });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip || !session) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    execute(document, variables, session.token).then(
      (result) => current && setState({ loading: false, result }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof RequestError && error.kind === 'unauthenticated') expire(error.message);
        setState({ loading: false, failure: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [document, key, session?.token, skip, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
