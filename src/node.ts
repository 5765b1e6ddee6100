/**
 * shadernet for Node (`shadernet/node`, and what `shadernet` resolves to in Node through the
 * package's `node` export condition): the whole browser-safe API, plus WebGPU through Dawn's
 * bindings (the optional `webgpu` package) and `file://` model saving and loading.
 * Importing this module installs both into the core.
 */
import { acquireNodeAdapter } from './node/adapter.js';
import { loadFromPath, saveToDirectory } from './node/file-transport.js';
import { installNodeAdapter } from './gpu/adapter.js';
import { installFileTransport } from './model/io/transports/files.js';

installNodeAdapter(acquireNodeAdapter);
installFileTransport({ saveToFiles: saveToDirectory, loadFromFiles: loadFromPath });

export * from './index.js';
export { SWIFTSHADER_ICD_PATHS } from './node/adapter.js';
