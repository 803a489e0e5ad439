import { ErrorCode, HubError } from '../../../lib/errors';
import { SubgraphClient, type ServiceCredentials } from '../../../lib/subgraph-client';
import { PatientCohortCarriersDocument } from '../../../lib/contracts/generated/genomics/graphql';
import type { GenomicsCarriers } from '../context';

/**
 * Gene and variant cohort filters: the genomics subgraph names the carriers, as the hub service
 * `patient` (the caller's own rules apply afterwards, to the patients this subgraph returns). The
 * genomics URL is read per call: in one process the genomics subgraph starts after this one.
 */
export class GenomicsCarrierClient implements GenomicsCarriers {
  constructor(
    private readonly url: () => string | undefined,
    private readonly credentials: ServiceCredentials,
  ) {}

  async carriers(gene: string | null, variant: string | null): Promise<string[]> {
    const url = this.url();
    if (!url) throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'filter.gene / filter.variant: the genomics subgraph is not running yet');
    const data = await new SubgraphClient('genomics', url, this.credentials).execute(PatientCohortCarriersDocument, { gene, variant });
    return data.carrierPatientIds;
  }
}
