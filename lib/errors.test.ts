import { GraphQLError } from 'graphql';
import { variableCoercionError } from './errors';

describe('variableCoercionError', () => {
  it.each([
    ['Variable "$bundle" of non-null type "JSON!" must not be null.', 'bundle'],
    ['Variable "$input" got invalid value Infinity at "input.value"; Float cannot represent non numeric value: Infinity', 'input.value'],
    ['Variable "$calls" got invalid value 999999999999 at "calls[0].pos"; Int cannot represent non 32-bit signed integer value: 999999999999', 'calls[0].pos'],
    ['Variable "$input" of required type "CreatePatientInput!" was not provided.', 'input'],
  ])('codes graphql-js\'s %j as BAD_USER_INPUT naming %s', (message, field) => {
    const coded = variableCoercionError(new GraphQLError(message));
    expect(coded).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 }, field } });
  });

  it('cuts a message that quotes a megabyte-long value', () => {
    const coded = variableCoercionError(new GraphQLError(`Variable "$name" got invalid value "${'x'.repeat(1_000_000)}"; String cannot represent it`));
    expect(coded!.message.length).toBeLessThanOrEqual(501);
    expect(coded!.extensions.field).toBe('name');
  });

  it('leaves execution errors, coded errors and other errors alone', () => {
    expect(variableCoercionError(new GraphQLError('Variable "$x" looks odd', { path: ['patient'] }))).toBeNull();
    expect(variableCoercionError(new GraphQLError('Variable "$x" refused', { extensions: { code: 'FORBIDDEN' } }))).toBeNull();
    expect(variableCoercionError(new GraphQLError('Cannot query field "ssn" on type "Patient".'))).toBeNull();
    expect(variableCoercionError(new Error('Variable "$x" of non-null type "ID!" must not be null.'))).toBeNull();
  });
});
