/**
 * Shape × activation grids for kernel tests. Each (tile overrides, activation) pair is a
 * pipeline of its own, and compiling one costs seconds under SwiftShader, so the full product
 * is not run: every shape with a few activations (one per code path: a kink, a saturating
 * curve, a slope that reads the pre-activations), and every activation on a few shapes (one per
 * entry point: generic and vec4-aligned). Returned in shape order, without repeats.
 */
export function shapeActivationGrid<Shape extends readonly number[], Activation>(
  shapes: readonly Shape[],
  everyShapeWith: readonly Activation[],
  everyActivationOn: readonly Shape[],
  activations: readonly Activation[],
): (readonly [Shape, Activation])[] {
  const key = (shape: readonly number[]) => shape.join('×');
  const full = new Set(everyActivationOn.map(key));
  for (const shape of everyActivationOn) {
    if (!shapes.some((s) => key(s) === key(shape))) throw new Error(`shape ${key(shape)} is not in the grid's shapes`);
  }
  return shapes.flatMap((shape) => (full.has(key(shape)) ? activations : everyShapeWith).map((activation) => [shape, activation] as const));
}
