// Compiled FileDescriptorSets indexed for reflection: each file's bytes exactly as the compiler wrote them, found by
// file name, by symbol and by extension, with its imports.
import descriptor, { type IDescriptorProto, type IEnumDescriptorProto, type IFieldDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { DescriptorSetError, NotFoundError } from './errors.js';

/** Field 1 of FileDescriptorSet (`repeated FileDescriptorProto file = 1`), as a wire tag: (1 << 3) | LEN. */
const FILE_FIELD_TAG = 0x0a;

interface IndexedFile {
  name: string;
  /** The serialized FileDescriptorProto, byte for byte as in the set. */
  bytes: Uint8Array;
  dependencies: string[];
}

export class DescriptorIndex {
  private readonly files = new Map<string, IndexedFile>();
  /** Fully-qualified symbol (message, field, enum, enum value, service, method, extension) → file name. */
  private readonly symbols = new Map<string, string>();
  /** Extended message → field number → file name. */
  private readonly extensions = new Map<string, Map<number, string>>();
  private readonly services = new Set<string>();

  /**
   * Index serialized FileDescriptorSets, each labelled (a path) for error messages. A file present in two sets must
   * be the same bytes in both; every import must be in some set.
   */
  constructor(sets: ReadonlyArray<{ label: string; bytes: Uint8Array }>) {
    for (const set of sets) {
      for (const bytes of splitFileDescriptorSet(set.bytes, set.label)) this.addFile(bytes, set.label);
    }
    for (const file of this.files.values()) {
      for (const dep of file.dependencies) {
        if (!this.files.has(dep)) throw new DescriptorSetError(`${file.name}: imports ${dep}, which no descriptor set holds`);
      }
    }
  }

  hasService(name: string): boolean {
    return this.services.has(name);
  }

  /** The file named `name` (e.g. `fortros/init/v1/init.proto`), then every file it imports, directly or not. */
  fileByFilename(name: string): Uint8Array[] {
    if (!this.files.has(name)) throw new NotFoundError(`file not found: ${name}`);
    return this.withImports(name);
  }

  /** The file declaring `symbol` (e.g. `fortros.init.v1.Init`, `fortros.init.v1.Init.GetService`) and its imports. */
  fileContainingSymbol(symbol: string): Uint8Array[] {
    const file = this.symbols.get(symbol.replace(/^\./, ''));
    if (!file) throw new NotFoundError(`symbol not found: ${symbol}`);
    return this.withImports(file);
  }

  /** The file declaring extension `number` of message `extendee`, and its imports. */
  fileContainingExtension(extendee: string, number: number): Uint8Array[] {
    const file = this.extensions.get(extendee)?.get(number);
    if (!file) throw new NotFoundError(`extension not found: ${extendee} field ${number}`);
    return this.withImports(file);
  }

  /** Field numbers of the known extensions of message `extendee` (none for a message that has none). */
  extensionNumbers(extendee: string): number[] {
    if (!this.symbols.has(extendee)) throw new NotFoundError(`type not found: ${extendee}`);
    return [...(this.extensions.get(extendee)?.keys() ?? [])].sort((a, b) => a - b);
  }

  private withImports(name: string): Uint8Array[] {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      order.push(n);
      for (const dep of this.files.get(n)!.dependencies) visit(dep);
    };
    visit(name);
    return order.map((n) => this.files.get(n)!.bytes);
  }

  private addFile(bytes: Uint8Array, label: string): void {
    let proto: IFileDescriptorProto;
    try {
      proto = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bytes), { arrays: true }) as IFileDescriptorProto;
    } catch (err) {
      throw new DescriptorSetError(`${label}: a file descriptor does not decode: ${(err as Error).message}`);
    }
    const name = proto.name;
    if (!name) throw new DescriptorSetError(`${label}: a file descriptor has no name`);
    const known = this.files.get(name);
    if (known) {
      if (Buffer.compare(known.bytes, bytes) !== 0) throw new DescriptorSetError(`${label}: ${name} differs from the ${name} of another descriptor set`);
      return;
    }
    this.files.set(name, { name, bytes, dependencies: (proto.dependency as string[] | undefined) ?? [] });
    const pkg = proto.package ? `${proto.package}.` : '';
    for (const message of proto.messageType ?? []) this.addMessage(message, pkg, name);
    for (const e of proto.enumType ?? []) this.addEnum(e, pkg, name);
    for (const ext of proto.extension ?? []) this.addExtension(ext, pkg, name);
    for (const service of proto.service ?? []) {
      const full = `${pkg}${service.name}`;
      this.addSymbol(full, name);
      this.services.add(full);
      for (const method of service.method ?? []) this.addSymbol(`${full}.${method.name}`, name);
    }
  }

  private addMessage(message: IDescriptorProto, scope: string, file: string): void {
    const full = `${scope}${message.name}`;
    this.addSymbol(full, file);
    for (const field of message.field ?? []) this.addSymbol(`${full}.${field.name}`, file);
    for (const nested of message.nestedType ?? []) this.addMessage(nested, `${full}.`, file);
    for (const e of message.enumType ?? []) this.addEnum(e, `${full}.`, file);
    for (const ext of message.extension ?? []) this.addExtension(ext, `${full}.`, file);
  }

  /** An enum's values are scoped beside the enum, not inside it (protobuf's C++ scoping rule). */
  private addEnum(e: IEnumDescriptorProto, scope: string, file: string): void {
    this.addSymbol(`${scope}${e.name}`, file);
    for (const value of e.value ?? []) this.addSymbol(`${scope}${value.name}`, file);
  }

  private addExtension(ext: IFieldDescriptorProto, scope: string, file: string): void {
    this.addSymbol(`${scope}${ext.name}`, file);
    const extendee = (ext.extendee ?? '').replace(/^\./, '');
    let byNumber = this.extensions.get(extendee);
    if (!byNumber) this.extensions.set(extendee, (byNumber = new Map()));
    byNumber.set(ext.number ?? 0, file);
  }

  private addSymbol(symbol: string, file: string): void {
    const other = this.symbols.get(symbol);
    if (other !== undefined && other !== file) throw new DescriptorSetError(`${file}: symbol ${symbol} is also declared in ${other}`);
    this.symbols.set(symbol, file);
  }
}

/** The serialized FileDescriptorProtos of a FileDescriptorSet, as subarrays of `set` (no re-encoding). */
export function splitFileDescriptorSet(set: Uint8Array, label: string): Uint8Array[] {
  const files: Uint8Array[] = [];
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= set.length) throw new DescriptorSetError(`${label}: truncated at byte ${pos}`);
      const byte = set[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new DescriptorSetError(`${label}: varint too long at byte ${pos}`);
  };
  while (pos < set.length) {
    const tag = varint();
    if (tag !== FILE_FIELD_TAG) throw new DescriptorSetError(`${label}: not a FileDescriptorSet (field tag ${tag} at byte ${pos})`);
    const length = varint();
    if (pos + length > set.length) throw new DescriptorSetError(`${label}: truncated file descriptor at byte ${pos}`);
    files.push(set.subarray(pos, pos + length));
    pos += length;
  }
  return files;
}
