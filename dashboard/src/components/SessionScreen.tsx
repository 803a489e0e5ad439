import { useState } from 'preact/hooks';

/** Asks for a bearer token: none yet, or the one in use expired or was refused. */
export function SessionScreen(props: { expired: boolean; reason?: string; onToken(token: string): string | undefined }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  return (
    <main class="session">
      <h1>Precision Hub</h1>
      {props.expired ? (
        <p class="error" role="alert" data-testid="session-expired">
          Session expired. {props.reason ?? ''} Paste a new token to continue.
        </p>
      ) : (
        <p>Paste a bearer token (locally: <code>npm run token -- --role clinician --org demo</code>), or open the link <code>npm start</code> prints.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(props.onToken(token));
        }}
      >
        <label>
          Bearer token
          <textarea rows={4} value={token} onInput={(e) => setToken((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit">Use this token</button>
      </form>
      {problem && <p class="error">{problem}</p>}
      <p class="hint">The token stays in this browser tab (sessionStorage) and goes only to the gateway.</p>
    </main>
  );
}
