/**
 * How the loss meets the network's output:
 * - `logits`: the output layer runs linear and binary cross-entropy applies the sigmoid itself
 *   in the stable fused form (Keras with a sigmoid output on TensorFlow, or from_logits=True);
 * - `probabilities`: the output layer applies its activation and the loss uses Keras's clipped
 *   form on probabilities.
 */
export type LossForm = 'logits' | 'probabilities';
