import type { DiseaseAnnotation, OntologyTerm } from './phenotype-similarity';

/*
 * A small extract of HPO (real ids and names, structure simplified):
 *
 * HP:0000118 Phenotypic abnormality
 * ├─ HP:0000707 Abnormality of the nervous system
 * │  ├─ HP:0001250 Seizure
 * │  │  ├─ HP:0007359 Focal-onset seizure
 * │  │  └─ HP:0002069 Bilateral tonic-clonic seizure
 * │  └─ HP:0001249 Intellectual disability
 * ├─ HP:0000478 Abnormality of the eye
 * │  ├─ HP:0000639 Nystagmus
 * │  └─ HP:0000486 Strabismus
 * └─ HP:0001626 Abnormality of the cardiovascular system
 *    └─ HP:0001631 Atrial septal defect
 */
export const ROOT = 'HP:0000118';
export const NERVOUS = 'HP:0000707';
export const SEIZURE = 'HP:0001250';
export const FOCAL = 'HP:0007359';
export const TONIC_CLONIC = 'HP:0002069';
export const ID = 'HP:0001249';
export const EYE = 'HP:0000478';
export const NYSTAGMUS = 'HP:0000639';
export const STRABISMUS = 'HP:0000486';
export const CARDIO = 'HP:0001626';
export const ASD = 'HP:0001631';

export const terms: OntologyTerm[] = [
  { id: ROOT, name: 'Phenotypic abnormality', parents: ['HP:0000001'] },
  { id: NERVOUS, name: 'Abnormality of the nervous system', parents: [ROOT] },
  { id: SEIZURE, name: 'Seizure', parents: [NERVOUS] },
  { id: FOCAL, name: 'Focal-onset seizure', parents: [SEIZURE] },
  { id: TONIC_CLONIC, name: 'Bilateral tonic-clonic seizure', parents: [SEIZURE] },
  { id: ID, name: 'Intellectual disability', parents: [NERVOUS] },
  { id: EYE, name: 'Abnormality of the eye', parents: [ROOT] },
  { id: NYSTAGMUS, name: 'Nystagmus', parents: [EYE] },
  { id: STRABISMUS, name: 'Strabismus', parents: [EYE] },
  { id: CARDIO, name: 'Abnormality of the cardiovascular system', parents: [ROOT] },
  { id: ASD, name: 'Atrial septal defect', parents: [CARDIO] },
];

export const VERY_FREQUENT = 'HP:0040281'; // 80–99 %: 0.895
export const VERY_RARE = 'HP:0040284'; // 1–4 %: 0.025
export const OBLIGATE = 'HP:0040280';
export const OCCASIONAL = 'HP:0040283'; // 5–29 %: 0.17

// Y and X have the same two features at mirrored frequencies; Z has an ASD without a stated frequency (read as 1)
// and intellectual disability in none of 7 patients (an "absent" annotation).
export const diseases: DiseaseAnnotation[] = [
  { id: 'OMIM:100001', name: 'Y', phenotypes: [SEIZURE, NYSTAGMUS], frequencies: [VERY_RARE, VERY_FREQUENT], genes: ['GENEY'] },
  { id: 'OMIM:100002', name: 'X', phenotypes: [SEIZURE, NYSTAGMUS], frequencies: [VERY_FREQUENT, VERY_RARE], genes: [] },
  { id: 'OMIM:100003', name: 'Z', phenotypes: [ASD, ID], frequencies: [null, '0/7'], genes: [] },
];
