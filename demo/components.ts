/**
 * The demo site's component bundle (dist/demo/components.js, for demo/embed.html): the package's
 * `shadernet/components` entry, sharing one chunk with dist/demo/shadernet.js.
 */
export * from '../src/components/index.js';
