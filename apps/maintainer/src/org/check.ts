// Field checkers shared by the org validators: they live in @fortros/workload-spec, beside the workload validator.
export {
  type Fail,
  NAME_PATTERN,
  LABEL_KEY_PATTERN,
  show,
  join,
  expectObject,
  rejectUnknown,
  expectText,
  expectName,
  expectAbsolutePath,
  expectInt,
  expectOneOf,
  expectArray,
  expectUniqueArray,
  expectStringMap,
  expectLabels,
} from '@fortros/workload-spec';
