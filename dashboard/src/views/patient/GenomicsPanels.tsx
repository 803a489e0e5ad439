import { useMemo } from 'preact/hooks';
import type { QueryState } from '../../graphql/hooks';
import { patientPanelErrors } from '../../graphql/client';
import type { DashboardPatientGenomicsQuery } from '../../gql/graphql';
import { Panel } from '../../components/Panel';
import { BASE } from '../../base';

type Variant = NonNullable<NonNullable<DashboardPatientGenomicsQuery['patient']>['variants']>[number];

/** CIViC evidence levels, strongest first (A validated … E inferential); other sources' levels after. */
export const levelRank = (level: string) => {
  const index = 'ABCDE'.indexOf(level.trim().charAt(0).toUpperCase());
  return index >= 0 && level.trim().length === 1 ? index : 10;
};

/** Variants with therapies first, by their best evidence level; therapies within a variant likewise. */
export function rankVariants(variants: Variant[]): Variant[] {
  const best = (v: Variant) => Math.min(99, ...v.therapies.map((t) => levelRank(t.evidenceLevel)));
  return variants
    .map((v) => ({ ...v, therapies: [...v.therapies].sort((a, b) => levelRank(a.evidenceLevel) - levelRank(b.evidenceLevel)) }))
    .sort((a, b) => best(a) - best(b) || a.id.localeCompare(b.id));
}

export function GenomicsPanels({ state }: { state: QueryState<DashboardPatientGenomicsQuery> }) {
  const patient = state.result?.data?.patient;
  const variants = useMemo(() => rankVariants(patient?.variants ?? []), [patient?.variants]);
  const loading = state.loading && !patient;
  return (
    <>
      <Panel title={`Variants${patient?.variants ? ` (${patient.variants.length})` : ''}`} id="variants" loading={loading} failure={state.failure} errors={patientPanelErrors(state.result, 'variants')} empty={patient?.variants && !variants.length && 'No variant calls.'}>
        <table class="variants">
          <thead><tr><th>Gene</th><th>Protein</th><th>Variant</th><th>Therapies (evidence level, response, source)</th></tr></thead>
          <tbody>
            {variants.map((v) => (
              <tr key={v.id}>
                <td data-testid="variant-gene"><GeneCell symbol={v.gene?.symbol ?? v.geneSymbol ?? null} /></td>
                <td>{v.proteinChange ?? '—'}</td>
                <td><a href={`${BASE}/kg/variant/${encodeURIComponent(v.id)}`}><code>{v.id}</code></a></td>
                <td>
                  {v.therapies.length === 0 ? <span class="muted">none known</span> : (
                    <ul class="therapies">
                      {v.therapies.map((t, i) => (
                        <li key={i} data-testid="therapy">
                          <span class={`level level-${t.evidenceLevel}`}>{t.evidenceLevel}</span> <strong>{t.drug.name}</strong> {t.response.toLowerCase().replace(/_/g, ' ')}
                          {t.disease ? ` in ${t.disease.name}` : ''} —{' '}
                          {t.sourceUrl ? <a href={t.sourceUrl} target="_blank" rel="noreferrer noopener">{t.source} {t.sourceRecordId ?? ''}</a> : `${t.source} ${t.sourceRecordId ?? ''}`}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Pharmacogenomics" id="pharmacogenomics" loading={loading} failure={state.failure} errors={patientPanelErrors(state.result, 'pharmacogenomics')} empty={patient && !patient.pharmacogenomics.length && 'No pharmacogenomic calls.'}>
        <table>
          <thead><tr><th>Gene</th><th>Diplotype</th><th>Phenotype</th><th class="num">Activity</th><th>Not called</th></tr></thead>
          <tbody>
            {patient?.pharmacogenomics.map((p) =>
              // Not genotyped is the absence of a test, not a result: said so, and styled apart from Indeterminate (a test that allowed no phenotype).
              p.status === 'NOT_GENOTYPED' ? (
                <tr key={p.gene} class="pgx-not-genotyped" data-testid="pgx-row" data-status={p.status}>
                  <td>{p.gene}</td>
                  <td colSpan={4} class="muted" title={p.notes.join(' ')}>Not genotyped — no genotype on file for {p.gene}</td>
                </tr>
              ) : (
                <tr key={p.gene} class={`pgx-${p.status.toLowerCase()}`} data-testid="pgx-row" data-status={p.status}>
                  <td>{p.gene}</td>
                  <td>{p.diplotype ?? '—'}</td>
                  <td title={p.status === 'INDETERMINATE' ? p.notes.join(' ') : undefined}>{p.phenotype}{p.status === 'INDETERMINATE' ? ' (genotyped; no phenotype could be assigned)' : ''}</td>
                  <td class="num">{p.activityScore ?? '—'}</td>
                  <td title={p.missingPositions.join(', ')}>{p.missingPositions.length ? `${p.missingPositions.length} positions` : 'none'}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <p class="muted">{patient?.pharmacogenomics[0]?.source}</p>
      </Panel>
    </>
  );
}

/**
 * Issue 21: the gene was read from the knowledge graph only, which places a variant in a gene only when it
 * holds the variant (CIViC), so a CYP2C19 call showed "—". The genomics subgraph's own gene table fills in.
 */
function GeneCell({ symbol }: { symbol: string | null }) {
  return symbol ? <a href={`${BASE}/kg/gene/${encodeURIComponent(symbol)}`}>{symbol}</a> : <span class="muted">—</span>;
}
