import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import './styles.css';
import { forgetSession, isExpired, storedSession, storeToken, takeTokenFromFragment, type Session } from './session';
import { SessionContext } from './session-context';
import { liveClient, type LinkState } from './graphql/client';
import { route, type Route } from './routes';
import { SessionScreen } from './components/SessionScreen';
import { BASE } from './base';
import { PageError } from './components/PageError';


// Each view is its own chunk: the patient page never downloads the graph-drawing library.
const VIEWS: Record<Route['view'], () => Promise<ComponentType<{ route: Route }>>> = {
  home: () => import('./views/HomeView').then((m) => m.HomeView),
  patient: () => import('./views/PatientView').then((m) => m.PatientView),
  cohort: () => import('./views/CohortView').then((m) => m.CohortView),
  knowledgeGraph: () => import('./views/KnowledgeGraphView').then((m) => m.KnowledgeGraphView),
};

function useView(name: Route['view']): { View?: ComponentType<{ route: Route }>; failed?: boolean } {
  const [view, setView] = useState<{ name: string; component?: ComponentType<{ route: Route }>; failed?: boolean }>();
  useEffect(() => {
    let current = true;
    VIEWS[name]().then(
      (component) => current && setView({ name, component }),
      () => current && setView({ name, failed: true }),
    );
    return () => {
      current = false;
    };
  }, [name]);
  return view?.name === name ? { View: view.component, failed: view.failed } : {};
}

function App() {
  const [session, setSession] = useState<Session | undefined>(() => {
    takeTokenFromFragment();
    return storedSession();
  });
  const [expiredReason, setExpiredReason] = useState<string>();
  const [path, setPath] = useState(location.pathname + location.search);
  const [linkState, setLinkState] = useState<LinkState>('connecting');
  const current = route(path, BASE);
  const { View, failed } = useView(current.view);

  const expired = !!session && (isExpired(session) || !!expiredReason);
  // Expire on time as well as when the gateway refuses the token.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const ms = session.expiresAt * 1000 - Date.now();
    if (ms <= 0) return;
    const timer = setTimeout(() => setExpiredReason('The session token has expired.'), Math.min(ms, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session]);

  const live = useMemo(() => (session && !expired ? liveClient(session.token, setLinkState) : undefined), [session?.token, expired]);
  useEffect(() => () => void live?.dispose(), [live]);

  useEffect(() => {
    const onPop = () => setPath(location.pathname + location.search);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    history.pushState(null, '', to);
    setPath(location.pathname + location.search);
  };

  if (!session || expired) {
    return (
      <SessionScreen
        expired={expired}
        reason={expiredReason}
        onToken={(token) => {
          const next = storeToken(token);
          setExpiredReason(undefined);
          setSession(next);
          return next ? (isExpired(next) ? 'That token has already expired.' : undefined) : 'That is not a JWT (three base64url parts).';
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ session, expire: setExpiredReason, live, linkState, navigate }}>
      <header class="top">
        <a href={`${BASE}/`} onClick={(e) => (e.preventDefault(), navigate(`${BASE}/`))}>
          <strong>Precision Hub</strong>
        </a>
        <nav>
          <a href={`${BASE}/cohort`} onClick={(e) => (e.preventDefault(), navigate(`${BASE}/cohort`))}>Cohort</a>
          <a href={`${BASE}/kg/gene/BRAF`} onClick={(e) => (e.preventDefault(), navigate(`${BASE}/kg/gene/BRAF`))}>Knowledge graph</a>
        </nav>
        <span class="who">
          {session.subject} · {session.role}
          {session.org ? ` · ${session.org}` : ''}
          <button
            type="button"
            onClick={() => {
              forgetSession();
              setSession(undefined);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <p class="disclaimer">Clinical decision support, not a medical device: every estimate shows its inputs, what was missing, its evidence and source.</p>
      <main>
        {View ? (
          <View route={current} />
        ) : failed ? (
          <PageError title="This view could not be loaded" message="Its code did not download: the gateway that serves the dashboard cannot be reached. Reload when it is back." />
        ) : (
          <p class="loading">Loading…</p>
        )}
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
