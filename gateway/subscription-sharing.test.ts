import fs from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../schema/compose';
import type { Identity } from '../lib/identity';
import { SubscriptionSharing } from './subscription-sharing';

/** The shape of the hub's subscription types, with their scopes (a hand-written excerpt). */
const SDL = `
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query { ping: Int }
  type Subscription {
    riskUpdated(patientId: ID!): RiskUpdate! @requiresScopes(scopes: [["clinician"], ["admin"]])
    cohortRiskUpdated: CohortRiskUpdate! @requiresScopes(scopes: [["researcher"], ["admin"]])
  }
  type RiskUpdate { patient: Patient! pce10y: Float reason: String! }
  type CohortRiskUpdate { ageBand: String! pce10y: Float }
  type Patient {
    id: ID!
    name: String @requiresScopes(scopes: [["clinician"], ["admin"]])
    risk: Float @requiresScopes(scopes: [["clinician"], ["admin"], ["researcher"]])
  }
`;

const sharing = new SubscriptionSharing(buildSchema(SDL), SDL);
const clinician = (subject: string, organisation = 'ward-1'): Identity => ({ subject, role: 'clinician', client: `screen-${subject}`, organisation });
const RISK = { query: 'subscription ($id: ID!) { riskUpdated(patientId: $id) { pce10y reason patient { id } } }', variables: { id: 'p-1' } };
const NAMED = { query: 'subscription ($id: ID!) { riskUpdated(patientId: $id) { pce10y patient { name } } }', variables: { id: 'p-1' } };

describe('SubscriptionSharing: which subscriptions share one execution', () => {
  it('shares between callers of one role and organisation, each with a token of their own', () => {
    expect(sharing.key(RISK, clinician('dr-a'))).toBe(sharing.key(RISK, clinician('dr-b')));
  });

  it('keeps apart other organisations, other roles, other variables and other documents', () => {
    const key = sharing.key(RISK, clinician('dr-a'));
    expect(sharing.key(RISK, clinician('dr-a', 'ward-2'))).not.toBe(key);
    expect(sharing.key(RISK, { subject: 'dr-a', role: 'admin', client: 'screen-dr-a' })).not.toBe(key);
    expect(sharing.key({ ...RISK, variables: { id: 'p-2' } }, clinician('dr-a'))).not.toBe(key);
    expect(sharing.key({ ...RISK, query: `${RISK.query} ` }, clinician('dr-a'))).not.toBe(key);
  });

  it('shares a subscription selecting identified data only with the same caller (its reads are audited per reader)', () => {
    expect(sharing.key(NAMED, clinician('dr-a'))).not.toBe(sharing.key(NAMED, clinician('dr-b')));
    expect(sharing.key(NAMED, clinician('dr-a'))).toBe(sharing.key(NAMED, clinician('dr-a')));
    const viaFragment = { query: 'subscription ($id: ID!) { riskUpdated(patientId: $id) { ...Who } } fragment Who on RiskUpdate { patient { ... on Patient { name } } }', variables: { id: 'p-1' } };
    expect(sharing.key(viaFragment, clinician('dr-a'))).not.toBe(sharing.key(viaFragment, clinician('dr-b')));
  });

  it('keeps a partner to itself, and shares de-identified cohort updates between researchers', () => {
    const partner = (subject: string): Identity => ({ subject, role: 'partner', client: subject, organisation: 'ward-1', contracts: ['live'] });
    expect(sharing.key(RISK, partner('lab-a'))).not.toBe(sharing.key(RISK, partner('lab-b')));
    const cohort = { query: 'subscription { cohortRiskUpdated { ageBand pce10y } }' };
    const researcher = (subject: string): Identity => ({ subject, role: 'researcher', client: `portal-${subject}` });
    expect(sharing.key(cohort, researcher('r-1'))).toBe(sharing.key(cohort, researcher('r-2')));
  });

  it('shares nothing that is not a subscription, or not a document', () => {
    expect(sharing.key({ query: '{ ping }' }, clinician('dr-a'))).toBeUndefined();
    expect(sharing.key({ query: 'subscription {' }, clinician('dr-a'))).toBeUndefined();
    expect(sharing.key({}, clinician('dr-a'))).toBeUndefined();
  });

  it("reads the hub's composed supergraph: riskUpdated's risk is not identified, its patient's name is", () => {
    const supergraph = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
    const hub = new SubscriptionSharing(buildSchema(supergraph, { assumeValidSDL: true }), supergraph);
    expect(hub.selectsIdentifiedData(parse('subscription { riskUpdated(patientId: "p") { risk { cardiovascular { pce10y } } reason patient { id } } }'))).toBe(false);
    expect(hub.selectsIdentifiedData(parse('subscription { riskUpdated(patientId: "p") { patient { name } } }'))).toBe(true);
    expect(hub.selectsIdentifiedData(parse('subscription { cohortRiskUpdated { ageBand pce10y } }'))).toBe(false);
  });
});
