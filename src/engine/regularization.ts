import type { GpuContext } from '../gpu/context.js';
import { RegularizerDispatch, type RegularizedTensor } from '../kernels/regularizer.js';
import { hasRegularizers, type NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';

/** Every regularized kernel of the network, located in the flat parameter buffers. */
function regularizedTensors(network: NetworkShape, parameters: ParameterBuffers): RegularizedTensor[] {
  const tensors: RegularizedTensor[] = [];
  network.layers.forEach((layer, index) => {
    const coefficients = layer.kernelRegularizer;
    if (!coefficients || (coefficients.l1 === 0 && coefficients.l2 === 0)) return;
    const { kernel } = parameters.layer(index);
    tensors.push({ offset: kernel.offset, length: kernel.length, l1: coefficients.l1, l2: coefficients.l2 });
  });
  return tensors;
}

/**
 * The one dispatch that adds every kernel regularizer's penalty to a metrics record (and, in
 * training, its gradient to the gradients); undefined for a network without regularizers, so
 * those pay nothing.
 */
export function regularizerFor(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  metrics: GPUBufferBinding,
  options: { readonly train: boolean; readonly slots?: number; readonly gradients?: GPUBuffer },
): RegularizerDispatch | undefined {
  if (!hasRegularizers(network)) return undefined;
  // Training adds the penalty's gradient to `options.gradients` (the first slice of the fused
  // step's gradient slices), else to the parameters' gradient buffer.
  const buffers = { values: parameters.values, gradients: options.gradients ?? parameters.gradients, metrics };
  return new RegularizerDispatch(
    ctx,
    regularizedTensors(network, parameters),
    options.train ? buffers : { values: buffers.values, metrics },
    options,
  );
}
