import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cosine, SentenceEmbedder } from './embedder';
import { DEFAULT_EMBEDDING_MODEL_ID, DEFAULT_MODEL_DIR, ModelFolderError, prepareDefaultModelFolder } from './model-folder';

describe('sentence embeddings from the local model folder', () => {
  let embedder: SentenceEmbedder;

  beforeAll(async () => {
    prepareDefaultModelFolder(DEFAULT_MODEL_DIR);
    embedder = await SentenceEmbedder.load({ modelDir: DEFAULT_MODEL_DIR, modelId: DEFAULT_EMBEDDING_MODEL_ID });
  }, 120_000);

  afterAll(() => embedder?.dispose());

  it('gives 384-dimensional unit vectors that place related clinical phrases closer', async () => {
    const [mi, heartAttack, fracture, same] = await embedder.embed(['myocardial infarction', 'heart attack', 'fracture of the femur', 'myocardial infarction']);
    expect(embedder.dimensions).toBe(384);
    expect(mi!.length).toBe(384);
    expect(cosine(mi!, mi!)).toBeCloseTo(1, 4);
    expect(cosine(mi!, heartAttack!)).toBeGreaterThan(cosine(mi!, fracture!) + 0.1);
    expect(cosine(mi!, same!)).toBeGreaterThan(0.99);
  });

  it('embeds a batch larger than one forward pass, and a note longer than the model takes', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `Sentence ${i}: stable angina, on aspirin.`);
    texts.push('word '.repeat(2000));
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(71);
    expect(vectors.every((v) => Math.abs(cosine(v, v) - 1) < 1e-3)).toBe(true);
  });

  it('names the folder and the fix when the model folder is missing or incomplete', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-model-'));
    await expect(SentenceEmbedder.load({ modelDir: empty, modelId: 'all-minilm-l6-v2-q' })).rejects.toThrow(
      new ModelFolderError(`embedding model folder ${path.join(empty, 'all-minilm-l6-v2-q')} does not exist: run \`npm run model:setup\`, or set MODEL_DIR / NLP_MODEL_ID to a transformers.js model folder`),
    );
    fs.mkdirSync(path.join(empty, 'broken', 'onnx'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'broken', 'config.json'), '{"model_type":"bert"}');
    await expect(SentenceEmbedder.load({ modelDir: empty, modelId: 'broken' })).rejects.toThrow(/lacks tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx/);
    // Present but corrupt: the ONNX file is not a model.
    const corrupt = path.join(empty, 'corrupt');
    fs.cpSync(path.join(DEFAULT_MODEL_DIR, DEFAULT_EMBEDDING_MODEL_ID), corrupt, { recursive: true });
    fs.writeFileSync(path.join(corrupt, 'onnx', 'model_quantized.onnx'), 'not an onnx model');
    await expect(SentenceEmbedder.load({ modelDir: empty, modelId: 'corrupt' })).rejects.toThrow(/could not be loaded .*npm run model:setup/);
  });
});
