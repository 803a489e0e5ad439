import { getNamedType, getOperationAST, isObjectType, parse, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { isIdentified, protectedFields } from '../lib/authorization';
import type { Identity } from '../lib/identity';

/** A graphql-ws operation's parameters, as the client sent them. */
export interface WsParams {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * Which graphql-ws subscriptions may share one upstream execution (gateway/shared-subscriptions.ts).
 *
 * What a subscription's results depend on about its caller is what the subgraphs decide access by:
 * the role and the organisation (row access: lib/patient-access.ts), and a partner's contracts. Two
 * clinicians of one ward watching one patient's risk get the same results, so they share one
 * execution. Before (issue 19) the key held the caller's credentials, and a ward of 100 clinicians
 * watching 1,000 patients, each patient on 10 screens, kept 10,000 upstream subscriptions, each
 * executed upstream and merged by the gateway at every update.
 *
 * Except where a subscription selects identified data (a Patient field only clinicians and admins may
 * read, e.g. `patient { name }`; lib/authorization.ts `isIdentified`): the patient subgraph audits
 * each read of it under the reader, so such a subscription shares only with the same caller (subject
 * and client application), as every subscription did before. Partners share only with themselves.
 * Queries and mutations sent over graphql-ws are never shared (`undefined`).
 */
export class SubscriptionSharing {
  private readonly scopes: Map<string, string[][]>;

  constructor(
    private readonly schema: GraphQLSchema,
    supergraphSdl: string,
  ) {
    this.scopes = protectedFields(supergraphSdl);
  }

  key(params: WsParams, identity: Identity): string | undefined {
    if (!params.query) return undefined;
    let document: DocumentNode;
    try {
      document = parse(params.query);
    } catch {
      return undefined; // unparsable: let the runtime report the syntax error to this caller
    }
    const operation = getOperationAST(document, params.operationName ?? undefined);
    if (operation?.operation !== 'subscription') return undefined;
    const perCaller = identity.role === 'partner' || this.selectsIdentifiedData(document);
    const caller = perCaller
      ? ['caller', identity.subject, identity.client]
      : ['scope', identity.role, identity.organisation ?? null, identity.contracts ? [...identity.contracts].sort() : null];
    return JSON.stringify([params.query, params.operationName ?? null, params.variables ?? null, params.extensions ?? null, caller]);
  }

  /** Whether any field the document selects (fragments included) is identified data. */
  selectsIdentifiedData(document: DocumentNode): boolean {
    const typeInfo = new TypeInfo(this.schema);
    let identified = false;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: (node) => {
          const parent = typeInfo.getParentType();
          if (!parent || !isObjectType(getNamedType(parent))) return;
          const coordinate = `${parent.name}.${node.name.value}`;
          const scopes = this.scopes.get(coordinate);
          if (scopes && isIdentified(coordinate, scopes)) identified = true;
        },
      }),
    );
    return identified;
  }
}
