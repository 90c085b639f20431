// The FileDescriptorSet buf compiles from proto/ at build time (target `descriptors`): what reflection serves as is.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DescriptorSetMissingError } from './errors.js';

/** Every file of proto/ and its imports (google/protobuf/*), with source info, under their real names. */
export const DESCRIPTOR_SET_PATH = fileURLToPath(new URL('../descriptors/fortros.binpb', import.meta.url));

let cached: Uint8Array | undefined;

/** The serialized FileDescriptorSet of proto/ (read once per process). */
export function descriptorSet(): Uint8Array {
  if (cached) return cached;
  try {
    cached = readFileSync(DESCRIPTOR_SET_PATH);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new DescriptorSetMissingError(`${DESCRIPTOR_SET_PATH}: cannot read the descriptor set (${why}); build libs/proto (npx nx run @fortros/proto:build)`);
  }
  return cached;
}
