import { buildSchema, getOperationAST, parse } from 'graphql';
import { dataOfFailedExecution, propagateNulls, refusalErrors, withRefusalsAsResults } from './planner-results';

const schema = buildSchema(`
  type Query { patient(id: ID!): Patient  count: Int!  finding: Finding }
  interface Finding { id: ID! }
  type Variant implements Finding { id: ID!  therapies: [String!]!  gene: Gene }
  type Gene { symbol: String! }
  type Person { id: ID!  variants: [Variant!]  names: [String]! }
  type Mutation { addObservation(patientId: ID!): Observation!  note(text: String): String }
  type Subscription { riskUpdated(patientId: ID!): String }
  type Patient { id: ID!  variants: [Variant!]  names: [String]!  person: Person! }
  type Observation { code: String! }
`);
const operation = (text: string) => getOperationAST(parse(text))!;

describe('dataOfFailedExecution', () => {
  it('is null when a root field is non-null: the error takes the whole of data', () => {
    expect(dataOfFailedExecution(schema, operation('mutation { addObservation(patientId: "x") { code } }'))).toBeNull();
    expect(dataOfFailedExecution(schema, operation('query { patient(id: "x") { id } count }'))).toBeNull();
  });

  it('is each nullable root field null, under its alias', () => {
    expect(dataOfFailedExecution(schema, operation('query { p: patient(id: "x") { id } patient(id: "y") { id } }'))).toEqual({ p: null, patient: null });
    expect(dataOfFailedExecution(schema, operation('mutation { note(text: "t") }'))).toEqual({ note: null });
  });

  it('leaves alone a root it cannot read field by field', () => {
    expect(dataOfFailedExecution(schema, operation('query { ... on Query { count } }'))).toBeUndefined();
    expect(dataOfFailedExecution(schema, operation('query { __typename }'))).toBeUndefined();
  });
});

describe('propagateNulls', () => {
  const propagate = (text: string, data: Record<string, unknown>) => {
    const document = parse(text);
    return propagateNulls(schema, document, getOperationAST(document)!, data);
  };

  it('nulls a nullable list whose non-null item is null, and no further (the Rust planner left [null])', () => {
    const query = '{ patient(id: "p") { id variants { id therapies } } }';
    expect(propagate(query, { patient: { id: 'p', variants: [{ id: 'v', therapies: null }] } })).toEqual({ patient: { id: 'p', variants: null } });
    expect(propagate(query, { patient: { id: 'p', variants: [null, { id: 'w', therapies: [] }] } })).toEqual({ patient: { id: 'p', variants: null } });
  });

  it('goes up to the nearest nullable field, or takes the whole of data', () => {
    expect(propagate('{ patient(id: "p") { person { id } } }', { patient: { person: null } })).toEqual({ patient: null });
    expect(propagate('{ count patient(id: "p") { id } }', { count: null, patient: { id: 'p' } })).toBeNull();
  });

  it('keeps nulls where they may be, and fields left out (@skip) as they are', () => {
    const data = { patient: { id: 'p', names: [null, 'A'], variants: [{ id: 'v', therapies: [], gene: null }] } };
    expect(propagate('{ patient(id: "p") { id names variants { id therapies gene { symbol } } } }', data)).toEqual(data);
    expect(propagate('query ($s: Boolean!) { patient(id: "p") { id person @skip(if: $s) { id } } }', { patient: { id: 'p' } })).toEqual({ patient: { id: 'p' } });
  });

  it('follows fragments, and an abstract type by its __typename', () => {
    const query = '{ finding { __typename ... on Variant { ...V } } } fragment V on Variant { therapies }';
    expect(propagate(query, { finding: { __typename: 'Variant', therapies: null } })).toEqual({ finding: null });
    expect(propagate('{ finding { ... on Variant { therapies } } }', { finding: { therapies: null } })).toEqual({ finding: { therapies: null } });
  });
});

describe('refusalErrors', () => {
  it('turns graphql-ws\'s thrown array of errors into GraphQL errors with their codes and paths', () => {
    const errors = refusalErrors([{ message: 'Subscription.riskUpdated is not available to the researcher role', path: ['riskUpdated'], extensions: { code: 'FORBIDDEN' } }]);
    expect(errors?.map((e) => [e.message, e.path, e.extensions.code])).toEqual([['Subscription.riskUpdated is not available to the researcher role', ['riskUpdated'], 'FORBIDDEN']]);
  });

  it('leaves anything else thrown alone', () => {
    expect(refusalErrors(new Error('socket closed'))).toBeUndefined();
    expect(refusalErrors([])).toBeUndefined();
    expect(refusalErrors(['text'])).toBeUndefined();
  });
});

describe('withRefusalsAsResults', () => {
  it('passes events through, and a refusal as one result with its errors, then ends', async () => {
    async function* refused() {
      yield { data: { riskUpdated: 'first' } };
      throw [{ message: 'no', extensions: { code: 'FORBIDDEN' } }];
    }
    const seen: unknown[] = [];
    for await (const result of withRefusalsAsResults(refused())) seen.push(JSON.parse(JSON.stringify(result)));
    expect(seen).toEqual([{ data: { riskUpdated: 'first' } }, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }]);
  });

  it('rethrows what is not a refusal', async () => {
    async function* broken() {
      yield 1;
      throw new Error('socket closed');
    }
    const stream = withRefusalsAsResults(broken());
    await stream.next();
    await expect(stream.next()).rejects.toThrow('socket closed');
  });

  it('closes the subgraph\'s stream when the subscriber leaves while no event is pending delivery', async () => {
    let closed = false;
    const quiet: AsyncIterable<never> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<never>(() => undefined),
        return: async () => {
          closed = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const stream = withRefusalsAsResults(quiet);
    void stream.next();
    await stream.return!();
    expect(closed).toBe(true);
  });
});
