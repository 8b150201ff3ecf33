// ort_run.mjs - runs an ONNX model with ONNX Runtime (onnxruntime-node), the
// reference tfmc's numerical tests and benchmarks compare against.
//
//   node scripts/ort_run.mjs MODEL.onnx --input NAME=FILE.npy ...
//        [--output-dir DIR] [--threads N] [--bench N] [--warmup N]
//   node scripts/ort_run.mjs --batch JOBS.json
//   node scripts/ort_run.mjs MODEL.onnx --generate N --prompt-ids FILE.npy
//        [--output-dir DIR] [--threads N] [--bench N]
//
// --generate runs the greedy token loop of a decoder exported in its
// generation form (input_ids, attention_mask, position_ids, past_* in;
// logits, present_* out, as scripts/export_models.py --past makes it):
// the prompt in one run, then one token per run with the present outputs
// fed back as the past, the cache growing by one row each step. It prints
// the tokens; --output-dir writes DIR/tokens.npy (int64 [1, N]) and
// DIR/logits.npy (float32 [N, vocab], the logits each token was chosen
// from); --bench N also prints the prefill time and the decode time per
// token (medians of N generations, as JSON).
// Inputs and outputs are .npy files; outputs go to DIR/<name>.npy. With
// --bench it prints one JSON line: {"median_ms", "min_ms", "p90_ms",
// "peak_rss_mib"}. ONNX Runtime is found in $TFM_ORT_DIR (default
// build/deps/ort), where scripts/install-deps.sh installs it.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ortDir = path.resolve(process.env.TFM_ORT_DIR || path.join(here, '..', 'build', 'deps', 'ort'));
const require = createRequire(path.join(ortDir, 'package.json'));

function fail(message) {
  process.stderr.write(`ort_run: error: ${message}\n`);
  process.exit(1);
}

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  fail(`cannot load onnxruntime-node from ${ortDir} (run scripts/install-deps.sh): ${e.message}`);
}

const kDtypes = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<f2': ['float16', Uint16Array], '|i1': ['int8', Int8Array],
  '<i2': ['int16', Int16Array], '<i4': ['int32', Int32Array],
  '<i8': ['int64', BigInt64Array], '|u1': ['uint8', Uint8Array],
  '<u2': ['uint16', Uint16Array], '<u4': ['uint32', Uint32Array],
  '<u8': ['uint64', BigUint64Array], '|b1': ['bool', Uint8Array],
};

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') fail(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', offset, offset + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
    .split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  if (!(descr in kDtypes)) fail(`${file}: unsupported element type ${descr}`);
  const [type, ArrayType] = kDtypes[descr];
  const count = shape.reduce((a, b) => a * b, 1);
  const start = offset + headerLength;
  const copy = bytes.buffer.slice(bytes.byteOffset + start,
    bytes.byteOffset + start + count * ArrayType.BYTES_PER_ELEMENT);
  let data = new ArrayType(copy);
  if (type === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  return new ort.Tensor(type, type === 'bool' ? Array.from(data, Boolean) : data, shape);
}

function writeNpy(file, tensor) {
  const entry = Object.entries(kDtypes).find(([, [type]]) => type === tensor.type);
  if (!entry) fail(`cannot write output of type ${tensor.type}`);
  const [descr, [, ArrayType]] = entry;
  const shape = tensor.dims.length === 1 ? `${tensor.dims[0]},` : tensor.dims.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat(Math.ceil(total / 64) * 64 - total) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(header.length, 8);
  const values = tensor.type === 'bool'
    ? Uint8Array.from(tensor.data, (v) => (v ? 1 : 0))
    : ArrayType.from(tensor.data);
  fs.writeFileSync(file, Buffer.concat([preamble, Buffer.from(header, 'latin1'),
    Buffer.from(values.buffer, values.byteOffset, values.byteLength)]));
}

function writeOutputs(outputDir, results) {
  fs.mkdirSync(outputDir, { recursive: true });
  for (const [name, tensor] of Object.entries(results)) {
    writeNpy(path.join(outputDir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.npy`), tensor);
  }
}

const args = process.argv.slice(2);

// --batch JOBS.json: many models in one process (the differential tester).
// Each job is {"model", "inputs": {NAME: FILE.npy}, "output_dir"}; one
// thread each, so that results do not depend on the machine. A job that
// fails writes its message to OUTPUT_DIR/ERROR.txt and the others go on.
if (args[0] === '--batch') {
  const jobs = JSON.parse(fs.readFileSync(args[1], 'utf8'));
  const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1,
    interOpNumThreads: 1, logSeverityLevel: 3 };
  for (const job of jobs) {
    try {
      const session = await ort.InferenceSession.create(job.model, options);
      const feeds = {};
      for (const [name, file] of Object.entries(job.inputs)) feeds[name] = readNpy(file);
      writeOutputs(job.output_dir, await session.run(feeds));
    } catch (e) {
      fs.mkdirSync(job.output_dir, { recursive: true });
      fs.writeFileSync(path.join(job.output_dir, 'ERROR.txt'), `${e.message}\n`);
    }
  }
  process.exit(0);
}
// The greedy loop of --generate; returns {tokens, logits, prefillMs,
// decodeMs}: the prompt runs in one step, then one token per step.
async function generate(session, prompt, count) {
  const meta = session.inputMetadata;
  const past = meta.filter((m) => m.name.includes('past'));
  const present = session.outputNames.filter((n) => n.includes('present'));
  if (past.length !== present.length) fail('past inputs and present outputs do not pair');
  for (const name of ['input_ids', 'attention_mask', 'position_ids']) {
    if (!session.inputNames.includes(name)) fail(`the model has no input ${name}`);
  }
  const cache = {};
  for (const m of past) {
    const shape = m.shape.map((d, i) => (i === 2 ? 0 : typeof d === 'number' ? d : 1));
    cache[m.name] = new ort.Tensor(m.type, new Float32Array(0), shape);
  }
  const tokens = [];
  const logitsRows = [];
  let ids = prompt.slice();
  let length = 0;
  let decodeBegin = 0n;
  let prefillMs = 0;
  const begin = process.hrtime.bigint();
  for (let step = 0; step < count; ++step) {
    if (step === 1) decodeBegin = process.hrtime.bigint();
    const n = ids.length;
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(length + n).fill(1n), [1, length + n]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(length + i)), [1, n]),
      ...cache,
    };
    const results = await session.run(feeds);
    const logits = results.logits;
    const vocab = logits.dims[2];
    const row = logits.data.slice((n - 1) * vocab, n * vocab);
    let best = 0;
    for (let v = 1; v < vocab; ++v) if (row[v] > row[best]) best = v;
    tokens.push(best);
    logitsRows.push(row);
    past.forEach((m, i) => { cache[m.name] = results[present[i]]; });
    length += n;
    ids = [best];
    if (step === 0) prefillMs = Number(process.hrtime.bigint() - begin) / 1e6;
  }
  const decodeMs = count > 1 ? Number(process.hrtime.bigint() - decodeBegin) / 1e6 : 0;
  return { tokens, logitsRows, prefillMs, decodeMs };
}

if (args.includes('--generate')) {
  const model = args[0];
  let count = 0;
  let promptFile = null;
  let outputDir = null;
  let threads = 0;
  let bench = 0;
  for (let i = 1; i < args.length; i += 2) {
    const value = args[i + 1];
    if (value === undefined) fail(`${args[i]} needs a value`);
    if (args[i] === '--generate') count = Number(value);
    else if (args[i] === '--prompt-ids') promptFile = value;
    else if (args[i] === '--output-dir') outputDir = value;
    else if (args[i] === '--threads') threads = Number(value);
    else if (args[i] === '--bench') bench = Number(value);
    else fail(`unknown option ${args[i]}`);
  }
  if (!(count >= 1)) fail('--generate expects a token count of 1 or more');
  if (!promptFile) fail('--generate needs --prompt-ids FILE.npy');
  const prompt = Array.from(readNpy(promptFile).data, Number);
  if (prompt.length === 0) fail('the prompt is empty');
  const options = { graphOptimizationLevel: 'all' };
  if (threads > 0) {
    options.intraOpNumThreads = threads;
    options.interOpNumThreads = 1;
  }
  const session = await ort.InferenceSession.create(model, options);
  let result = await generate(session, prompt, count);
  console.log(`tokens: ${result.tokens.join(' ')}`);
  if (bench > 0) {
    const perToken = [];
    const prefill = [];
    for (let i = 0; i < bench; ++i) {
      result = await generate(session, prompt, count);
      perToken.push(result.decodeMs / (count - 1));
      prefill.push(result.prefillMs);
    }
    perToken.sort((a, b) => a - b);
    prefill.sort((a, b) => a - b);
    console.log(JSON.stringify({ decode_ms_per_token: perToken[Math.floor(bench / 2)],
      min_ms_per_token: perToken[0], prefill_ms: prefill[Math.floor(bench / 2)] }));
  }
  if (outputDir) {
    const vocab = result.logitsRows[0].length;
    const logits = new Float32Array(count * vocab);
    result.logitsRows.forEach((row, i) => logits.set(row, i * vocab));
    writeOutputs(outputDir, {
      tokens: new ort.Tensor('int64', BigInt64Array.from(result.tokens, BigInt), [1, count]),
      logits: new ort.Tensor('float32', logits, [count, vocab]),
    });
  }
  process.exit(0);
}
if (args.length === 0 || args[0].startsWith('-')) fail('usage: ort_run.mjs MODEL.onnx --input NAME=FILE.npy ...');
const model = args[0];
const feeds = {};
let outputDir = null;
let threads = 0;
let bench = 0;
let warmup = 3;
for (let i = 1; i < args.length; i += 2) {
  const value = args[i + 1];
  if (value === undefined) fail(`${args[i]} needs a value`);
  if (args[i] === '--input') {
    const eq = value.indexOf('=');
    if (eq <= 0) fail(`--input expects NAME=FILE.npy, got ${value}`);
    feeds[value.slice(0, eq)] = readNpy(value.slice(eq + 1));
  } else if (args[i] === '--output-dir') {
    outputDir = value;
  } else if (args[i] === '--threads') {
    threads = Number(value);
  } else if (args[i] === '--bench') {
    bench = Number(value);
  } else if (args[i] === '--warmup') {
    warmup = Number(value);
  } else {
    fail(`unknown option ${args[i]}`);
  }
}

const options = { graphOptimizationLevel: 'all' };
if (threads > 0) {
  options.intraOpNumThreads = threads;
  options.interOpNumThreads = 1;
}
const session = await ort.InferenceSession.create(model, options);
let results = await session.run(feeds);
if (bench > 0) {
  for (let i = 0; i < warmup; ++i) await session.run(feeds);
  const times = [];
  for (let i = 0; i < bench; ++i) {
    const begin = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - begin) / 1e6);
  }
  times.sort((a, b) => a - b);
  // VmHWM: unlike maxRSS, not inflated by the parent's memory at fork.
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const rssMib = (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024;
  console.log(JSON.stringify({
    median_ms: times[Math.floor(bench / 2)], min_ms: times[0],
    p90_ms: times[Math.ceil(0.9 * bench) - 1], peak_rss_mib: rssMib,
  }));
}
if (outputDir) writeOutputs(outputDir, results);
