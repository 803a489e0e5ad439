/**
 * The vocabulary of a trial's lab criteria, shared by the knowledge graph's eligibility importer (which
 * writes them) and inference's trial matching (which reads them over GraphQL as plain strings:
 * `TrialLabCriterion.comparator` and `.section` are `String!` in schema/knowledge-graph.graphql).
 */
export const LAB_COMPARATORS = ['>=', '>', '<=', '<'] as const;
export type LabComparator = (typeof LAB_COMPARATORS)[number];

export const ELIGIBILITY_SECTIONS = ['inclusion', 'exclusion'] as const;
export type EligibilitySection = (typeof ELIGIBILITY_SECTIONS)[number];

export const isLabComparator = (value: string): value is LabComparator => (LAB_COMPARATORS as readonly string[]).includes(value);
export const isEligibilitySection = (value: string): value is EligibilitySection => (ELIGIBILITY_SECTIONS as readonly string[]).includes(value);
