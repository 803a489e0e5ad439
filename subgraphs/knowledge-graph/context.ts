import DataLoader from 'dataloader';
import type { KnowledgeRepository } from './repository/knowledge-repository';

export interface KnowledgeContext {
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
    disease: new DataLoader((keys: readonly string[]) => repository.diseasesByIds(keys)),
    phenotypesByDisease: new DataLoader((keys: readonly string[]) => repository.phenotypesByDiseaseIds(keys)),
  };
}

export function createKnowledgeContext(repository: KnowledgeRepository): KnowledgeContext {
  return { repository, loaders: createLoaders(repository) };
}
