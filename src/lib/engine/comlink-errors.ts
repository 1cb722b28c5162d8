import * as Comlink from 'comlink';
import { deserializeError, serializeError, type SerializedEngineError } from './errors';

type Thrown = { value: unknown };
type Wire = { isError: boolean; value: unknown };

/**
 * Install on both sides of a Comlink channel so typed errors keep their code and details
 * (Comlink's own handler keeps only message, name and stack). Wraps the built-in handler because
 * Comlink does not export the marker it uses to recognise thrown values.
 */
export function installErrorTransfer(): void {
  const builtin = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<Thrown, Wire> | undefined;
  if (!builtin || (builtin as { typedErrors?: boolean }).typedErrors) return;
  const handler: Comlink.TransferHandler<Thrown, Wire> & { typedErrors: true } = {
    typedErrors: true,
    canHandle: builtin.canHandle,
    serialize: ({ value }) =>
      value instanceof Error ? [{ isError: true, value: serializeError(value) }, []] : [{ isError: false, value }, []],
    deserialize: (wire) => {
      throw wire.isError ? deserializeError(wire.value as SerializedEngineError) : wire.value;
    },
  };
  Comlink.transferHandlers.set('throw', handler as Comlink.TransferHandler<unknown, unknown>);
}
