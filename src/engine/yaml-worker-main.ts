// A worker thread of yaml-workers.ts: parses manifests and sends back everything but `locate`.
import { parentPort } from 'node:worker_threads';
import { type ParseYamlInput, parseYaml } from '../render/index.js';

parentPort?.on('message', (message: { id: number; inputs: ParseYamlInput[] }) => {
  try {
    const results = message.inputs.map((input) => {
      const { documents, issues } = parseYaml(input);
      return { issues, documents: documents.map(({ locate: _here, ...plain }) => plain) };
    });
    parentPort?.postMessage({ id: message.id, results });
  } catch (err) {
    parentPort?.postMessage({ id: message.id, error: String(err) });
  }
});
