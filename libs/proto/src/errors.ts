// Errors of @fortros/proto, one class per condition.

/** The compiled descriptor set is missing or unreadable: libs/proto was not built. */
export class DescriptorSetMissingError extends Error {
  override name = 'DescriptorSetMissingError';
}
