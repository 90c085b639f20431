// A service's handler set is checked against its proto: at compile time (the @ts-expect-error lines below fail the
// spec build if they ever compile) and again by RpcServer at run time.
import assert from 'node:assert/strict';
import { createLogger } from '@fortros/log';
import { InitV1, loadApi, MaintainerV1 } from '@fortros/proto';
import { defineService, RpcServer, type AnyHandler, type AsyncHandlers } from '../src/index.js';
import { echoApi, type EchoHandlers } from './fixtures/echo-server.js';

const unused: AnyHandler = async () => ({});

/** Never called: `tsc -p tsconfig.spec.json` (the `test` script) is what runs these checks. */
export function compileTimeChecks(): void {
  const sync = MaintainerV1.loadOrgSyncApi();
  defineService(sync, { Sync: async () => undefined });
  // @ts-expect-error a missing handler: OrgSync has a Sync method
  defineService(sync, {});
  // @ts-expect-error a misspelt handler
  defineService(sync, { sync: async () => undefined });
  // @ts-expect-error a handler for another service's method
  defineService(sync, { Sync: async () => undefined, GetNode: async () => ({}) });
  // @ts-expect-error a unary handler where the method is a bidi stream (it must return nothing, and send)
  defineService(sync, { Sync: async () => ({ from: 'x' }) });
  // @ts-expect-error a handler answering with the wrong message type
  defineService(InitV1.loadInitApi(), { ...({} as AsyncHandlers<InitV1.InitHandlers>), GetService: async () => ({ name: 42 }) });
  // @ts-expect-error an API loaded without its generated handler interface cannot be served
  defineService(loadApi('fortros/maintainer/v1/maintainer.proto', 'fortros.maintainer.v1.OrgSync'), { Sync: async () => undefined });
}

describe('typed services', () => {
  const logger = createLogger({ sink: { write: () => undefined } });
  const echoHandlers = (): Record<string, AnyHandler> => Object.fromEntries(Object.keys(echoApi().definition).map((name) => [name, unused]));

  it('RpcServer refuses a handler set missing a method, naming the service and the method', () => {
    const handlers = echoHandlers();
    delete handlers['Chat'];
    const service = defineService(echoApi(), handlers as unknown as AsyncHandlers<EchoHandlers>);
    assert.throws(() => new RpcServer({ tcpAddress: '127.0.0.1:0', services: [service], logger }), /^TypeError: fortros\.test\.v1\.Echo: no handler for method Chat$/);
  });

  it('RpcServer refuses a handler for no method of the service, naming it', () => {
    const handlers = { ...echoHandlers(), Chatt: unused };
    const service = defineService(echoApi(), handlers as unknown as AsyncHandlers<EchoHandlers>);
    assert.throws(() => new RpcServer({ tcpAddress: '127.0.0.1:0', services: [service], logger }), /^TypeError: fortros\.test\.v1\.Echo: handler Chatt is for no method of the service$/);
  });
});
