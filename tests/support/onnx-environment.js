// Jest runs each test file in its own VM context, whose typed-array constructors differ from the main
// realm's; onnxruntime-node (under @huggingface/transformers) checks `data instanceof Float32Array`
// against the main realm and rejects the test realm's arrays. Test files that run the ONNX model use
// this environment (jest.config.js makes it every test file's), which hands the
// main realm's typed-array constructors to the test context.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray',
  'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
