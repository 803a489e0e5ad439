import fs from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { missingModelFiles, ModelFolderError } from './model-folder';

export interface EmbedderOptions {
  /** Folder holding one sub-folder per model id (MODEL_DIR). */
  modelDir: string;
  /** Sub-folder / model id, e.g. all-minilm-l6-v2-q. */
  modelId: string;
  /** Sentences per forward pass (32 balances speed and memory on 2 cores). */
  batchSize?: number;
}

/**
 * Sentence embeddings with @huggingface/transformers from a local folder only: remote lookups are off,
 * so a missing or corrupt folder is an error naming the folder and the fix, never a download attempt.
 * Mean pooling and L2 normalisation, as all-MiniLM-L6-v2 was trained (Sentence-BERT, Reimers &
 * Gurevych 2019), so cosine similarity is a dot product. The quantized model quantizes activations on
 * the fly: a sentence's vector shifts slightly with its batch (cosine ~0.99), so index entries and
 * queries are embedded the same way (batches of `batchSize`).
 */
export class SentenceEmbedder {
  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly modelId: string,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {}

  static async load(options: EmbedderOptions): Promise<SentenceEmbedder> {
    const folder = path.join(options.modelDir, options.modelId);
    if (!fs.existsSync(folder)) {
      throw new ModelFolderError(`embedding model folder ${folder} does not exist: run \`npm run model:setup\`, or set MODEL_DIR / NLP_MODEL_ID to a transformers.js model folder`);
    }
    const missing = missingModelFiles(folder);
    if (missing.length) {
      throw new ModelFolderError(`embedding model folder ${folder} lacks ${missing.join(', ')}: delete the folder and run \`npm run model:setup\` (or restart the hub) to rebuild it`);
    }
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${options.modelDir}${path.sep}`;
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = (await pipeline('feature-extraction', options.modelId, { dtype: 'q8' })) as FeatureExtractionPipeline;
    } catch (error) {
      throw new ModelFolderError(`embedding model in ${folder} could not be loaded (${(error as Error).message}); delete the folder and run \`npm run model:setup\``);
    }
    const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
    return new SentenceEmbedder(extractor, options.modelId, probe.dims.at(-1)!, options.batchSize ?? 32);
  }

  /**
   * One unit vector per text, in order. `signal` is checked before each forward pass: an aborted
   * embedding stops within one batch (shutdown does not wait for a patient's whole record).
   */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      signal?.throwIfAborted();
      const batch = texts.slice(start, start + this.batchSize);
      const output = await this.extractor([...batch], { pooling: 'mean', normalize: true });
      const data = output.data as Float32Array;
      for (let i = 0; i < batch.length; i++) vectors.push(data.slice(i * this.dimensions, (i + 1) * this.dimensions));
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

export { cosine } from './vectors';
