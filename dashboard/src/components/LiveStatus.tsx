import { useSessionContext } from '../session-context';

/**
 * Whether live updates are flowing: a dropped link first (graphql-ws is reconnecting), then a
 * subscription the server refused or ended (subscribed again every few seconds), else live.
 */
export function LiveStatus(props: { error?: string }) {
  const { linkState } = useSessionContext();
  const state = linkState !== 'connected' ? linkState : props.error ? 'error' : 'connected';
  const text = {
    connecting: 'Connecting live updates…',
    reconnecting: 'Live updates disconnected — reconnecting…',
    error: `Live updates interrupted: ${props.error ?? ''} — retrying`,
    connected: 'Live',
  }[state];
  return (
    <span class={`live live-${state}`} data-testid="live-status" data-state={state} data-link={linkState} role="status">
      {text}
    </span>
  );
}
