/** `http(s)://…/model.json` (pages, workers and Node ≥ 18): weight files fetched from its folder, on its origin. */
import { UnsupportedError, ValueError } from '../../../errors.js';
import { show } from '../../../show.js';
import { modelJsonParts } from '../artifacts.js';
import { MODEL_LIMITS } from '../limits.js';
import { concatBytes, globalProperty, tooLarge, type LoadedArtifacts } from './common.js';
import { checkWeightsPath, weightsUrl } from './weights-path.js';

/** The fetch options of an http(s) load. */
export interface FetchOptions {
  /** fetch for http(s) sources (default globalThis.fetch). */
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Options of every http(s) request (headers, credentials...). */
  readonly requestInit?: RequestInit;
}

/** The body, read in chunks and abandoned as soon as it passes `limit` bytes. */
async function readCapped(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers?.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(what, declared, limit);
  const body = response.body;
  if (!body) {
    const buffer = await response.arrayBuffer();
    if (buffer.byteLength > limit) throw tooLarge(what, buffer.byteLength, limit);
    return new Uint8Array(buffer);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(what, total, limit);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

async function fetchChecked(url: string, options: FetchOptions): Promise<Response> {
  const fetchFn = options.fetch ?? globalProperty<typeof fetch>('fetch');
  if (!fetchFn) throw new UnsupportedError(`Loading ${url} needs fetch (browsers, Node ≥ 18) or options.fetch.`);
  let response: Response;
  try {
    response = await fetchFn(url, options.requestInit);
  } catch (error) {
    throw new ValueError(`Fetching ${url} failed: ${error instanceof Error ? error.message : show(error)}.`, { cause: error });
  }
  if (!response.ok) throw new ValueError(`Fetching ${url} failed: HTTP ${response.status} ${response.statusText}.`.replace(' .', '.'));
  return response;
}

/**
 * Refuses a weights response that a redirect brought from another origin than model.json's:
 * fetch follows redirects, so the rule weightsUrl applies to the path must hold for where the
 * bytes came from too. A response with no URL (a custom fetch's `new Response(…)`) says nothing.
 */
function checkSameOrigin(response: Response, requested: string, modelJsonUrl: string): void {
  const final: unknown = response.url;
  if (typeof final !== 'string' || final === '' || final === requested) return;
  let origin: string | undefined;
  try {
    origin = new URL(final).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== new URL(modelJsonUrl).origin) {
    void response.body?.cancel().catch(() => undefined);
    throw new ValueError(
      `Fetching ${requested} was redirected to ${final}, on another origin than model.json (${new URL(modelJsonUrl).origin}); weights load from model.json's origin only.`,
    );
  }
}

/** model.json at `url`; its weight files resolved relative to it, under its folder (see weights-path.ts). */
export async function loadFromUrl(url: string, options: FetchOptions): Promise<LoadedArtifacts> {
  const response = await fetchChecked(url, options);
  const text = new TextDecoder().decode(await readCapped(response, MODEL_LIMITS.modelJsonBytes, url));
  const parts = modelJsonParts(text);
  // Every path is checked before the first weights request.
  const targets = parts.paths.map((path) => weightsUrl(checkWeightsPath(path, url), url, url));
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const target of targets) {
    const response = await fetchChecked(target, options);
    checkSameOrigin(response, target, url);
    const bytes = await readCapped(response, MODEL_LIMITS.weightBytes - total, `The weight files of ${url}`);
    total += bytes.byteLength;
    buffers.push(bytes);
  }
  return { raw: parts.raw, weightData: concatBytes(buffers) };
}
