import { GraphQLError } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Identity } from '../lib/identity';
import { noIntrospectionRule, withoutSuggestions } from './limits';

/**
 * Who may introspect the supergraph. Outside production everyone may (GraphiQL, codegen, IDE plugins
 * against a local hub). In production (NODE_ENV=production) introspection is refused with
 * INTROSPECTION_DISABLED, and "Did you mean …" suggestions are dropped, for every caller but an
 * admin — the operators and developers who build on the hub — unless GATEWAY_INTROSPECTION=true opens
 * it to every authenticated caller. The role is the one the gateway verified (JWT claim or API key
 * record, gateway/auth.ts), never a header.
 */
export interface IntrospectionPolicy {
  /** Everyone may introspect (GATEWAY_INTROSPECTION, default: on unless NODE_ENV=production). */
  everyone: boolean;
  /** The caller the gateway has already verified for this request or graphql-ws connection, if any. */
  callerOf: (context: object) => Identity | undefined;
}

export const INTROSPECTION_ROLES: ReadonlySet<Identity['role']> = new Set(['admin']);

export function mayIntrospect(policy: IntrospectionPolicy, context: object): boolean {
  if (policy.everyone) return true;
  const caller = policy.callerOf(context);
  return caller !== undefined && INTROSPECTION_ROLES.has(caller.role);
}

/**
 * The plugin runs before the runtime's validation cache, which keys cached results on the names of
 * the rules in force: a document an admin introspected is validated afresh, with the rule, for a
 * clinician, never served from the admin's cached "valid".
 */
export function useIntrospectionPolicy(policy: IntrospectionPolicy): GatewayPlugin {
  return {
    onValidate({ context, addValidationRule }) {
      if (mayIntrospect(policy, context)) return undefined;
      addValidationRule(noIntrospectionRule);
      return ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map((error) => (error instanceof GraphQLError ? withoutSuggestions(error) : error)));
      };
    },
  };
}
