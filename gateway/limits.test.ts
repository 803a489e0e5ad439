import fs from 'node:fs';
import { ErrorCode } from '../lib/errors';
import path from 'node:path';
import { GraphQLError, buildSchema, getIntrospectionQuery, parse, validate, specifiedRules } from 'graphql';
import {
  DEFAULT_GATEWAY_LIMITS,
  countTokens,
  loadGatewayLimits,
  noIntrospectionRule,
  parseWithTokenLimit,
  queryShapeRules,
  withoutSuggestions,
} from './limits';

class TestConfigError extends Error {}

const schema = buildSchema(`
  type Query { patient(id: ID!): Patient, patients(first: Int): [Patient!]! }
  type Patient { id: ID!, name: String, linked: Patient, observations(first: Int): [Observation!]! }
  type Observation { code: String!, value: Float }
`);

const shapeErrors = (query: string, limits = DEFAULT_GATEWAY_LIMITS) =>
  validate(schema, parse(query), queryShapeRules(limits)).map((e) => ({ message: e.message, extensions: e.extensions }));

const nested = (levels: number) => `{ patient(id: "p") { ${'linked { '.repeat(levels)}id${' }'.repeat(levels)} } }`;

/** Every GraphQL document the hub's README shows, and the query GraphiQL sends on load. */
function hubDocuments(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return [
    ...examples,
    getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true }),
  ];
}

describe('query shape limits', () => {
  it('accepts every README example and GraphiQL introspection under the default limits', () => {
    const documents = hubDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const document of documents) {
      expect(shapeErrors(document)).toEqual([]);
      expect(countTokens(document)).toBeLessThan(DEFAULT_GATEWAY_LIMITS.maxTokens / 5);
    }
  });

  it('refuses a query nested deeper than the limit, naming the limit and the depth found', () => {
    expect(shapeErrors(nested(2), { ...DEFAULT_GATEWAY_LIMITS, maxDepth: 4 })).toEqual([]); // patient, 2 × linked, id
    expect(shapeErrors(nested(14))).toEqual([
      {
        message: 'Query depth 16 exceeds the limit of 12.',
        extensions: { code: ErrorCode.MAX_DEPTH_EXCEEDED, limit: 12, actual: 16, http: { status: 400 } },
      },
    ]);
  });

  it('counts depth through fragments as if they were written inline', () => {
    const query = `{ patient(id: "p") { ...L } } fragment L on Patient { linked { linked { linked { id } } } }`;
    expect(shapeErrors(query, { ...DEFAULT_GATEWAY_LIMITS, maxDepth: 4 })).toEqual([
      { message: 'Query depth 5 exceeds the limit of 4.', extensions: expect.objectContaining({ code: 'MAX_DEPTH_EXCEEDED', actual: 5 }) },
    ]);
  });

  it('refuses an alias bomb, naming the limit and the aliases found', () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `p${i}: patient(id: "p") { id }`).join(' ');
    expect(shapeErrors(`{ ${aliases} }`)).toEqual([
      {
        message: 'Query aliases 31 exceeds the limit of 30.',
        extensions: { code: ErrorCode.MAX_ALIASES_EXCEEDED, limit: 30, actual: 31, http: { status: 400 } },
      },
    ]);
  });

  it('refuses a query whose static cost exceeds the limit, multiplying by literal page sizes', () => {
    const query = `{ patients(first: 100) { observations(first: 100) { code value } } }`;
    const [error] = shapeErrors(query);
    expect(error).toEqual({
      message: expect.stringMatching(/^Query cost \d+ exceeds the limit of 20000\.$/),
      extensions: { code: ErrorCode.MAX_COST_EXCEEDED, limit: 20000, actual: expect.any(Number), http: { status: 400 } },
    });
    expect(error!.extensions.actual).toBeGreaterThan(20000);
  });
});

describe('token limit', () => {
  const parseLimited = parseWithTokenLimit(20);

  it('parses a document within the limit', () => {
    expect(parseLimited('{ patient(id: "p") { id } }').kind).toBe('Document');
  });

  it('refuses a document over the limit with its real token count', () => {
    const query = `{ patient(id: "p") { ${'id '.repeat(40)}} }`;
    expect(countTokens(query)).toBe(50);
    let thrown: unknown;
    try {
      parseLimited(query);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).message).toBe('Query of 50 tokens exceeds the limit of 20.');
    expect((thrown as GraphQLError).extensions).toEqual({ code: 'MAX_TOKENS_EXCEEDED', limit: 20, actual: 50, http: { status: 400 } });
  });

  it('still reports syntax errors as syntax errors', () => {
    expect(() => parseLimited('{ patient(')).toThrow(/Syntax Error/);
  });
});

describe('introspection and suggestions', () => {
  it('refuses __schema and __type but allows __typename', () => {
    const errors = validate(schema, parse('{ __typename __schema { types { name } } __type(name: "Patient") { name } }'), [noIntrospectionRule]);
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      ['Introspection is disabled: "__schema" is not available.', 'INTROSPECTION_DISABLED'],
      ['Introspection is disabled: "__type" is not available.', 'INTROSPECTION_DISABLED'],
    ]);
    expect(validate(schema, parse('{ __typename }'), [noIntrospectionRule])).toEqual([]);
  });

  it('strips "Did you mean" from validation messages, keeping the rest', () => {
    const [error] = validate(schema, parse('{ patient(id: "p") { nam } }'), specifiedRules);
    expect(error!.message).toBe('Cannot query field "nam" on type "Patient". Did you mean "name"?');
    const stripped = withoutSuggestions(error!);
    expect(stripped.message).toBe('Cannot query field "nam" on type "Patient".');
    expect(stripped.locations).toEqual(error!.locations);
  });
});

describe('loadGatewayLimits', () => {
  it('uses the defaults, with introspection on outside production', () => {
    expect(loadGatewayLimits({}, TestConfigError)).toEqual(DEFAULT_GATEWAY_LIMITS);
  });

  it('turns introspection and suggestions off in production unless GATEWAY_INTROSPECTION says otherwise', () => {
    expect(loadGatewayLimits({ NODE_ENV: 'production' }, TestConfigError).introspection).toBe(false);
    expect(loadGatewayLimits({ NODE_ENV: 'production', GATEWAY_INTROSPECTION: 'true' }, TestConfigError).introspection).toBe(true);
    expect(loadGatewayLimits({ GATEWAY_INTROSPECTION: 'false' }, TestConfigError).introspection).toBe(false);
  });

  it('reads every limit from the environment; 0 per second turns every rate limit off, 0 per second per client the ceiling only', () => {
    const env = {
      GATEWAY_MAX_DEPTH: '8',
      GATEWAY_MAX_ALIASES: '0',
      GATEWAY_MAX_TOKENS: '500',
      GATEWAY_MAX_COST: '1000',
      GATEWAY_MAX_BODY_BYTES: '65536',
      GATEWAY_RATE_LIMIT_BURST: '20',
      GATEWAY_RATE_LIMIT_PER_SECOND: '5',
      GATEWAY_CLIENT_RATE_LIMIT_BURST: '200',
      GATEWAY_CLIENT_RATE_LIMIT_PER_SECOND: '50',
    };
    expect(loadGatewayLimits(env, TestConfigError)).toEqual({
      maxDepth: 8,
      maxAliases: 0,
      maxTokens: 500,
      maxCost: 1000,
      maxBodyBytes: 65536,
      rateLimit: { burst: 20, perSecond: 5 },
      clientRateLimit: { burst: 200, perSecond: 50 },
      introspection: true,
    });
    expect(loadGatewayLimits({ GATEWAY_RATE_LIMIT_PER_SECOND: '0' }, TestConfigError)).toMatchObject({ rateLimit: undefined, clientRateLimit: undefined });
    expect(loadGatewayLimits({ GATEWAY_CLIENT_RATE_LIMIT_PER_SECOND: '0' }, TestConfigError)).toMatchObject({ rateLimit: { burst: 100, perSecond: 20 }, clientRateLimit: undefined });
  });

  it('fails fast on a value that is not a positive integer or a flag', () => {
    expect(() => loadGatewayLimits({ GATEWAY_MAX_DEPTH: 'deep' }, TestConfigError)).toThrow(new TestConfigError('GATEWAY_MAX_DEPTH="deep" is not a positive integer'));
    expect(() => loadGatewayLimits({ GATEWAY_MAX_COST: '0' }, TestConfigError)).toThrow(TestConfigError);
    expect(() => loadGatewayLimits({ GATEWAY_INTROSPECTION: 'yes' }, TestConfigError)).toThrow('GATEWAY_INTROSPECTION="yes" is not true or false');
  });
});
