import { cohort, CohortSummary } from './Cohort';
import { Identifier, PatientIdentifierReveal } from './Identifier';
import { Mutation } from './Mutation';
import { Observation } from './Observation';
import { Patient } from './Patient';
import { Query } from './Query';
import { researchCohort, ResearchPatient } from './Research';
import GraphQLJSON from 'graphql-type-json';

// Enum values as stored (FHIR codes, lower case) behind the GraphQL names.
const Sex = { FEMALE: 'female', MALE: 'male', OTHER: 'other', UNKNOWN: 'unknown' };
const Race = {
  WHITE: 'white',
  BLACK_OR_AFRICAN_AMERICAN: 'black-or-african-american',
  ASIAN: 'asian',
  AMERICAN_INDIAN_OR_ALASKA_NATIVE: 'american-indian-or-alaska-native',
  NATIVE_HAWAIIAN_OR_OTHER_PACIFIC_ISLANDER: 'native-hawaiian-or-other-pacific-islander',
  OTHER: 'other',
};

const MedicationRecordKind = { REQUEST: 'MedicationRequest', STATEMENT: 'MedicationStatement' };

export const resolvers = {
  JSON: GraphQLJSON,
  Query: { ...Query, cohort, researchCohort },
  Mutation,
  Patient: { ...Patient, ...PatientIdentifierReveal },
  Identifier,
  Observation,
  CohortSummary,
  ResearchPatient,
  Sex,
  Race,
  MedicationRecordKind,
};
