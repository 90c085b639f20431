// fortros.keys.v1: the key service API (proto/fortros/keys/v1/keys.proto) and its generated types.
import { loadApi, type LoadedApi } from '../loader.js';
import type { KeysHandlers } from '../generated/fortros/keys/v1/Keys.js';

export const KEYS_PROTO = 'fortros/keys/v1/keys.proto';
export const KEYS_SERVICE = 'fortros.keys.v1.Keys';
export const loadKeysApi = (): LoadedApi<KeysHandlers> => loadApi<KeysHandlers>(KEYS_PROTO, KEYS_SERVICE);

export type { KeysClient, KeysHandlers } from '../generated/fortros/keys/v1/Keys.js';
export type { DeriveKeyRequest, DeriveKeyRequest__Output } from '../generated/fortros/keys/v1/DeriveKeyRequest.js';
export type { DeriveKeyResponse, DeriveKeyResponse__Output } from '../generated/fortros/keys/v1/DeriveKeyResponse.js';
export type { ListPurposesRequest, ListPurposesRequest__Output } from '../generated/fortros/keys/v1/ListPurposesRequest.js';
export type { ListPurposesResponse, ListPurposesResponse__Output } from '../generated/fortros/keys/v1/ListPurposesResponse.js';
export type { StatusRequest, StatusRequest__Output } from '../generated/fortros/keys/v1/StatusRequest.js';
export type { StatusResponse, StatusResponse__Output } from '../generated/fortros/keys/v1/StatusResponse.js';
export type { DeriveKeysResponse, DeriveKeysResponse__Output } from '../generated/fortros/keys/v1/DeriveKeysResponse.js';
export type { DeriveKeyError, DeriveKeyError__Output } from '../generated/fortros/keys/v1/DeriveKeyError.js';
