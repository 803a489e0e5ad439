import { GraphQLError } from 'graphql';
import { passCodedErrors } from './server';

describe('passCodedErrors, the gateway\'s error mask', () => {
  it('masks an uncoded error whole: INTERNAL_SERVER_ERROR, the mask\'s message, none of the cause', () => {
    const masked = passCodedErrors(new GraphQLError('socket 10.0.0.7:5432 reset while reading patient 42', { path: ['patient'] }), 'Unexpected error.');
    expect(masked).toBeInstanceOf(GraphQLError);
    expect((masked as GraphQLError).toJSON()).toEqual({ message: 'Unexpected error.', path: ['patient'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('passes a subgraph\'s coded error through with its code and message', () => {
    const coded = new GraphQLError('no patient with id "x"', { extensions: { code: 'PATIENT_NOT_FOUND', patientId: 'x' } });
    const passed = passCodedErrors(coded, 'Unexpected error.') as GraphQLError;
    expect(passed.toJSON()).toEqual({ message: 'no patient with id "x"', extensions: { code: 'PATIENT_NOT_FOUND', patientId: 'x' } });
  });
});
