// Errors of @fortros/proto, one class per condition.

/** The compiled descriptor set is missing or unreadable: libs/proto was not built. */
export class DescriptorSetMissingError extends Error {
  override name = 'DescriptorSetMissingError';
}

/** The build-time JSON of a .proto file is missing or unreadable: libs/proto was not built. */
export class ProtoJsonMissingError extends Error {
  override name = 'ProtoJsonMissingError';
}

/** The .proto file loaded declares no service of the name asked for. */
export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}
