/**
 * The library, as the demo site serves it (dist/demo/shadernet.js) for pages such as
 * embed.html; it shares one chunk with components.js, so both see the same classes and GPU.
 */
export * from '../src/index.js';
