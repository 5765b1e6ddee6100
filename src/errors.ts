/**
 * The error hierarchy of shadernet. Every error the library throws on purpose is a
 * `ShadernetError`; the subclass says what kind of problem it is, and the message names the
 * offending argument, what was expected and what was given.
 */
export class ShadernetError extends Error {
  override name = 'ShadernetError';
}

/** An array, tensor or layer has the wrong shape or size. */
export class ShapeError extends ShadernetError {
  override name = 'ShapeError';
}

/** A value is of the right shape but not acceptable (NaN, out of range, unknown name...). */
export class ValueError extends ShadernetError {
  override name = 'ValueError';
}

/** The call is not valid in the object's current state (fit before compile, use after dispose...). */
export class StateError extends ShadernetError {
  override name = 'StateError';
}

/** WebGPU is missing, or no adapter/device could be obtained. */
export class WebGPUUnavailableError extends ShadernetError {
  override name = 'WebGPUUnavailableError';
}

/** The GPU device was lost (driver reset, `device.destroy()`, tab backgrounded too long...). */
export class DeviceLostError extends ShadernetError {
  override name = 'DeviceLostError';
  constructor(
    message: string,
    /** The reason WebGPU reported: 'destroyed' or 'unknown'. */
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Training produced NaN or ±Infinity (in the loss or the weights). fit() stops and restores the
 * weights of the last good epoch, as Keras's TerminateOnNaN would stop, but on by default.
 */
export class NonFiniteError extends ShadernetError {
  override name = 'NonFiniteError';
  constructor(
    message: string,
    /** The epoch (0-based) whose result was not finite. */
    readonly epoch: number,
    /** The first layer with a non-finite weight, if the weights were affected. */
    readonly layer: string | undefined,
  ) {
    super(message);
  }
}

/** WebGPU reported a validation, out-of-memory or internal error for a GPU operation. */
export class GpuError extends ShadernetError {
  override name = 'GpuError';
}

/** The request is valid but beyond what this device or this version supports. */
export class UnsupportedError extends ShadernetError {
  override name = 'UnsupportedError';
}
