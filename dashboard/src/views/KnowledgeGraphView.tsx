import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Route } from '../routes';
import { useQuery } from '../graphql/hooks';
import { GeneGraphQuery, VariantGraphQuery } from '../graphql/operations';
import type { DashboardGeneGraphQuery, DashboardVariantGraphQuery } from '../gql/graphql';
import { Panel } from '../components/Panel';
import { PageError } from '../components/PageError';

export interface GraphNode {
  id: string;
  label: string;
  kind: 'gene' | 'variant' | 'drug' | 'disease' | 'trial';
}
export interface GraphEdge {
  source: string;
  target: string;
  /** The evidence level (CIViC A–E, CPIC strength) or the relation. */
  label: string;
}

/**
 * A gene's drugs (best evidence level of the drug–gene interaction), CPIC guidelines, associated
 * diseases (gene-level knowledge, no evidence level: the edge names the association and its record) and trials.
 */
export function geneGraph(data: DashboardGeneGraphQuery): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const gene = data.gene!;
  const center = `gene:${gene.symbol}`;
  nodes.set(center, { id: center, label: gene.symbol, kind: 'gene' });
  for (const drug of gene.drugs) {
    const id = `drug:${drug.id}`;
    nodes.set(id, { id, label: drug.name, kind: 'drug' });
    const interaction = drug.interactions.find((i) => i.gene.symbol === gene.symbol);
    edges.push({ source: center, target: id, label: interaction?.bestLevel ? `level ${interaction.bestLevel}` : (interaction?.kind ?? 'drug') });
  }
  for (const guideline of gene.guidelines) {
    const id = `drug:${guideline.drug.id}`;
    nodes.set(id, { id, label: guideline.drug.name, kind: 'drug' });
    edges.push({ source: center, target: id, label: `${guideline.source}${guideline.strength ? ` ${guideline.strength}` : ''}` });
  }
  for (const association of gene.diseases) {
    const id = `disease:${association.disease.id}`;
    nodes.set(id, { id, label: association.disease.name, kind: 'disease' });
    const kind = association.associationType ? association.associationType.toLowerCase().replace(/_/g, ' ') : 'associated';
    edges.push({ source: center, target: id, label: association.reference ? `${kind} (${association.reference})` : kind });
  }
  for (const trial of data.trials) {
    const id = `trial:${trial.nctId}`;
    nodes.set(id, { id, label: trial.nctId, kind: 'trial' });
    edges.push({ source: center, target: id, label: trial.phase ?? 'trial' });
  }
  return { nodes: [...nodes.values()], edges: mergeParallel(edges) };
}

/** Parallel edges between the same pair (several evidence items or associations) collapse into one, labels joined. */
function mergeParallel(edges: GraphEdge[]): GraphEdge[] {
  const merged = new Map<string, GraphEdge>();
  for (const e of edges) {
    const key = `${e.source}→${e.target}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, label: [...new Set([...seen.label.split(', '), e.label])].join(', ') } : e);
  }
  return [...merged.values()];
}

/** A variant's therapies (drug, with the evidence level), their diseases, and trials requiring it. */
export function variantGraph(data: DashboardVariantGraphQuery): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const variant = data.variant!;
  const center = `variant:${variant.id}`;
  const nodes = new Map<string, GraphNode>([[center, { id: center, label: `${variant.gene?.symbol ?? ''} ${variant.proteinChange ?? variant.id}`.trim(), kind: 'variant' }]]);
  const edges: GraphEdge[] = [];
  if (variant.gene) {
    nodes.set(`gene:${variant.gene.symbol}`, { id: `gene:${variant.gene.symbol}`, label: variant.gene.symbol, kind: 'gene' });
    edges.push({ source: center, target: `gene:${variant.gene.symbol}`, label: 'in gene' });
  }
  for (const therapy of variant.therapies) {
    const drug = `drug:${therapy.drug.id}`;
    nodes.set(drug, { id: drug, label: therapy.drug.name, kind: 'drug' });
    edges.push({ source: center, target: drug, label: `${therapy.evidenceLevel} ${therapy.response.toLowerCase().replace(/_/g, ' ')}` });
    if (therapy.disease) {
      const disease = `disease:${therapy.disease.id}`;
      nodes.set(disease, { id: disease, label: therapy.disease.name, kind: 'disease' });
      edges.push({ source: drug, target: disease, label: `level ${therapy.evidenceLevel}` });
    }
  }
  for (const trial of variant.trials) {
    const id = `trial:${trial.nctId}`;
    nodes.set(id, { id, label: trial.nctId, kind: 'trial' });
    edges.push({ source: center, target: id, label: trial.phase ?? 'trial' });
  }
  return { nodes: [...nodes.values()], edges: mergeParallel(edges) };
}

export function KnowledgeGraphView({ route }: { route: Route }) {
  const kind = route.view === 'knowledgeGraph' ? route.kind : 'gene';
  const id = route.view === 'knowledgeGraph' ? route.id : '';
  const gene = useQuery(GeneGraphQuery, { symbol: id }, kind !== 'gene');
  const variant = useQuery(VariantGraphQuery, { id }, kind !== 'variant');
  const state = kind === 'gene' ? gene : variant;
  const graph = useMemo(() => {
    if (kind === 'gene' && gene.result?.data?.gene) return geneGraph(gene.result.data);
    if (kind === 'variant' && variant.result?.data?.variant) return variantGraph(variant.result.data);
    return undefined;
  }, [kind, gene.result, variant.result]);
  if (state.failure) return <PageError title="The knowledge graph could not be loaded" message={state.failure} />;
  const missing = !state.loading && state.result && !graph && !state.result.errors?.length;
  return (
    <div class="kg" data-testid="kg-page">
      <h1>{kind === 'gene' ? `Gene ${id}` : `Variant ${id}`}</h1>
      <Panel title="Drugs, diseases and trials" id="kg-graph" loading={state.loading} errors={state.result?.errors} empty={missing ? `The knowledge graph has no ${kind} “${id}”.` : graph && graph.edges.length === 0 && 'Nothing linked to it yet.'}>
        {graph && <GraphPicture nodes={graph.nodes} edges={graph.edges} />}
        {graph && (
          <table>
            <thead><tr><th>From</th><th>To</th><th>Evidence</th></tr></thead>
            <tbody>
              {graph.edges.map((e) => (
                <tr key={`${e.source}${e.target}${e.label}`}>
                  <td>{graph.nodes.find((n) => n.id === e.source)?.label}</td>
                  <td>{graph.nodes.find((n) => n.id === e.target)?.label}</td>
                  <td>{e.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

const COLOURS: Record<GraphNode['kind'], string> = { gene: '#7c3aed', variant: '#db2777', drug: '#2563eb', disease: '#ea580c', trial: '#059669' };

/** Cytoscape.js (loaded only on this route): concentric layout around the gene or variant. */
function GraphPicture(props: { nodes: GraphNode[]; edges: GraphEdge[] }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let destroyed = false;
    let destroy: (() => void) | undefined;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (destroyed || !target.current) return;
      const cy = cytoscape({
        container: target.current,
        elements: [
          ...props.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
          ...props.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.label } })),
        ],
        style: [
          { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4, width: 18, height: 18, 'background-color': (n) => COLOURS[n.data('kind') as GraphNode['kind']] } },
          { selector: 'edge', style: { label: 'data(label)', 'font-size': 8, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 1, 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8', 'text-background-color': '#fff', 'text-background-opacity': 1 } },
        ],
        layout: { name: 'concentric', concentric: (n) => (n.data('kind') === 'gene' || n.data('kind') === 'variant' ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 30, animate: false },
        userZoomingEnabled: true,
      });
      target.current.dataset.rendered = 'true';
      destroy = () => cy.destroy();
    });
    return () => {
      destroyed = true;
      destroy?.();
    };
  }, [props.nodes, props.edges]);
  return <div class="graph" ref={target} data-testid="kg-picture" role="img" aria-label={`graph of ${props.nodes.length} nodes and ${props.edges.length} edges`} />;
}
