import DataLoader from 'dataloader';
import type { KnowledgeRepository } from './repository/knowledge-repository';
import type { Identity } from '../../lib/identity';

export interface KnowledgeContext {
  /** The caller, as the gateway asserted it. */
  identity: Identity;
  repository: KnowledgeRepository;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(repository: KnowledgeRepository) {
  return {
    gene: new DataLoader((keys: readonly string[]) => repository.genesBySymbols(keys)),
    variant: new DataLoader((keys: readonly string[]) => repository.variantsByIds(keys)),
    therapies: new DataLoader((keys: readonly string[]) => repository.therapiesByVariantIds(keys)),
    trialsByVariant: new DataLoader((keys: readonly string[]) => repository.trialsByVariantIds(keys)),
    drug: new DataLoader((keys: readonly string[]) => repository.drugsByIds(keys)),
    trial: new DataLoader((keys: readonly string[]) => repository.trialsByNctIds(keys)),
    drugsByGene: new DataLoader((keys: readonly string[]) => repository.drugsByGenes(keys)),
    diseasesByGene: new DataLoader((keys: readonly string[]) => repository.diseasesByGenes(keys)),
    disease: new DataLoader((keys: readonly string[]) => repository.diseasesByIds(keys)),
    phenotypesByDisease: new DataLoader((keys: readonly string[]) => repository.phenotypesByDiseaseIds(keys)),
    evidence: new DataLoader((keys: readonly string[]) => repository.evidenceByVariantIds(keys)),
    guidelinesByGene: new DataLoader((keys: readonly string[]) => repository.guidelinesByGenes(keys)),
    guidelinesByDrug: new DataLoader((keys: readonly string[]) => repository.guidelinesByDrugIds(keys)),
    interactionsByDrug: new DataLoader((keys: readonly string[]) => repository.interactionsByDrugIds(keys)),
    eligibility: new DataLoader((keys: readonly string[]) => repository.eligibilityByNctIds(keys)),
    sites: new DataLoader((keys: readonly string[]) => repository.sitesByNctIds(keys)),
  };
}

export function createKnowledgeContext(repository: KnowledgeRepository, identity: Identity): KnowledgeContext {
  return { identity, repository, loaders: createLoaders(repository) };
}
