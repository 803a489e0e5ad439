/**
 * Every operation the dashboard sends. GraphQL Code Generator (dashboard/codegen.ts) types each one and
 * lists it in the persisted-documents manifest; the Patient 360 page is split by subgraph so that one
 * subgraph's failure empties only its own panels.
 */
import { graphql } from '../gql';

export const PatientRecordQuery = graphql(`
  query DashboardPatientRecord($id: ID!) {
    patient(id: $id) {
      id
      name
      birthDate
      sex
      race
      # Government ids arrive masked (Identifier.masked); DashboardRevealIdentifier asks for one whole, audited.
      identifiers { system value label typeCode masked }
      observations { id code display value unit valueCode { code display } effectiveAt }
      conditions { id code { system code display } clinicalStatus onsetAt }
      medications { id kind code { system code display } status authoredAt dosage }
    }
  }
`);

/** One identifier system's whole values: sent only when the clinician clicks Reveal (the patient subgraph audits it). */
export const RevealIdentifierQuery = graphql(`
  query DashboardRevealIdentifier($id: ID!, $system: String!) {
    patient(id: $id) {
      id
      revealIdentifier(system: $system)
    }
  }
`);

export const PatientGenomicsQuery = graphql(`
  query DashboardPatientGenomics($id: ID!) {
    patient(id: $id) {
      id
      # The gateway static cost limit multiplies by a literal first: 200 variants with their therapies fit.
      variants(first: 200) {
        id
        # The knowledge graph's gene (null when it does not hold the variant) and the genomics gene table's.
        gene { symbol }
        geneSymbol
        proteinChange
        therapies {
          drug { id name }
          evidenceLevel
          response
          disease { name }
          source
          sourceRecordId
          sourceUrl
          citation
        }
      }
      pharmacogenomics { gene status diplotype phenotype activityScore missingPositions notes source }
    }
  }
`);

export const PatientRiskQuery = graphql(`
  query DashboardPatientRisk($id: ID!) {
    patient(id: $id) {
      id
      risk { cardiovascular { ...CardiovascularRisk } }
    }
  }
`);

export const CardiovascularRiskFragment = graphql(`
  fragment CardiovascularRisk on RiskEstimate {
    pce10y
    category
    prevent { cvd10y ascvd10y hf10y cvd30y ascvd30y hf30y }
    inputs { age sex race totalCholesterol hdlCholesterol systolicBp onHypertensionTreatment smoker diabetes bmi egfr onStatin }
    missing
    excludedValues { input value unit reason }
    notApplicableReasons
    models { name version source }
    applicability { model applicable reason causedBy { code display onsetAt recordedAt } }
    asOf
    datedInputs { input value unit display effectiveAt source sourceId stale maxAgeDays derivation { formula inputs { name value unit effectiveAt sourceId } } }
    staleInputs
    notes
  }
`);

export const PatientDecisionsQuery = graphql(`
  query DashboardPatientDecisions($id: ID!) {
    patient(id: $id) {
      id
      medicationAlerts { ...MedicationAlertItem }
      drugResponses {
        drugName
        phenotype
        diplotypes
        currentMedication
        untestedGenes
        notes
        recommendationsByPopulation { population classification recommendation implications { gene implication } comments recommendationId }
        guideline
        guidelineCitation
        source
        sourceVersion
        url
      }
      trialMatches(first: 10) { ...TrialMatchItem }
    }
  }
`);

/** Every screened trial, matched genomically or not, eligible or not: run only when the clinician asks. */
export const PatientAllTrialsQuery = graphql(`
  query DashboardPatientAllTrials($id: ID!) {
    patient(id: $id) {
      id
      trialMatches(first: 20, includeUnmatched: true, includeNotEligible: true) { ...TrialMatchItem }
    }
  }
`);

export const TrialMatchFragment = graphql(`
  fragment TrialMatchItem on TrialMatch {
    trial { nctId }
    title
    status
    score
    genomicMatch
    criteria { criterion description result reason }
  }
`);

export const MedicationAlertFragment = graphql(`
  fragment MedicationAlertItem on MedicationAlert {
    severity
    medication
    genes
    phenotype
    message
    recommendation
  }
`);

export const RiskWhatIfQuery = graphql(`
  query DashboardRiskWhatIf($id: ID!, $changes: RiskChanges!) {
    patient(id: $id) {
      id
      riskWhatIf(changes: $changes) {
        changes { change applied description }
        deltas { measure baseline scenario absoluteChange relativeChange }
      }
    }
  }
`);

export const RiskUpdatedSubscription = graphql(`
  subscription DashboardRiskUpdated($id: ID!) {
    riskUpdated(patientId: $id) {
      computedAt
      reason
      risk { cardiovascular { ...CardiovascularRisk } }
    }
  }
`);

export const FindingsUpdatedSubscription = graphql(`
  subscription DashboardFindingsUpdated($id: ID!) {
    findingsUpdated(patientId: $id) {
      computedAt
      reason
      medicationAlerts { ...MedicationAlertItem }
    }
  }
`);

export const CohortQuery = graphql(`
  query DashboardCohort($all: PatientFilter!, $female: PatientFilter!, $male: PatientFilter!, $labCode: String!, $withLab: Boolean!) {
    all: cohort(filter: $all) {
      count
      suppressed
      sexDistribution { key count }
      labPercentiles(code: $labCode) @include(if: $withLab) { code unit n p10 p25 p50 p75 p90 }
    }
    female: cohort(filter: $female) { count suppressed ageDistribution { key count } }
    male: cohort(filter: $male) { count suppressed ageDistribution { key count } }
  }
`);

export const CohortRiskDistributionQuery = graphql(`
  query DashboardCohortRiskDistribution($cohort: NoteSearchCohort) {
    cohortRiskDistribution(cohort: $cohort) { patients suppressed notApplicable bins { from to count } model }
  }
`);

export const CohortGenesQuery = graphql(`
  query DashboardCohortGenes($first: Int!, $cohort: NoteSearchCohort) {
    cohortGenes(first: $first, cohort: $cohort) { gene { symbol } patients }
  }
`);

export const CohortRiskSubscription = graphql(`
  subscription DashboardCohortRisk($filter: CohortRiskFilter) {
    cohortRiskUpdated(filter: $filter) { ageBand sex pce10y category year reason }
  }
`);

export const GeneGraphQuery = graphql(`
  query DashboardGeneGraph($symbol: String!) {
    gene(symbol: $symbol) {
      symbol
      name
      drugs { id name interactions { gene { symbol } kind bestLevel sources } }
      guidelines { id drug { id name } strength source url }
      diseases { disease { id name } associationType source reference }
    }
    trials(filter: { gene: $symbol }, first: 20) { nctId title phase status }
  }
`);

export const VariantGraphQuery = graphql(`
  query DashboardVariantGraph($id: ID!) {
    variant(id: $id) {
      id
      gene { symbol }
      proteinChange
      therapies { drug { id name } evidenceLevel response disease { id name } source sourceUrl }
      trials { nctId title phase status }
    }
  }
`);
