import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Client } from 'graphql-ws';
import type { LinkState } from './graphql/client';
import type { Session } from './session';

export interface SessionContextValue {
  session?: Session;
  /** The gateway refused the token (expired or invalid): ask for a new one. */
  expire(reason: string): void;
  /** The page's graphql-ws connection and its state. */
  live?: Client;
  linkState: LinkState;
  navigate(path: string): void;
}

export const SessionContext = createContext<SessionContextValue>({ expire: () => undefined, linkState: 'connecting', navigate: () => undefined });

export const useSessionContext = () => useContext(SessionContext);
