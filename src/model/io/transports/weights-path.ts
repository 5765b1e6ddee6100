/**
 * The one rule for the weights paths of a model.json, whichever transport reads them: a file
 * name, or a relative path below model.json's folder. Each transport then resolves the checked
 * path under that folder and makes sure it stayed there: http(s) by URL ({@link weightsUrl}),
 * file:// by real path (src/node/file-transport.ts), picked files by base name.
 */
import { ValueError } from '../../../errors.js';

/** A weights path that follows the rule. */
export interface WeightsPath {
  /** The path as model.json writes it. */
  readonly text: string;
  /** Its segments as written, without a leading './': file names on a disk. */
  readonly segments: readonly string[];
  /** The same segments percent-decoded: what they name in a URL. */
  readonly decoded: readonly string[];
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The path as a message can show it (control characters escaped). */
const shown = (path: string): string => JSON.stringify(path).slice(1, -1);

function refusal(path: string, where: string, reason: string): ValueError {
  return new ValueError(
    `The weights path '${shown(path)}' in ${where} ${reason}; a weights path is a file name or a relative path below model.json's folder, without '..'.`,
  );
}

/**
 * Checks a weights path: no scheme, not absolute, no backslash, NUL or other control
 * character, no '?' or '#' (a URL would read a query or fragment), and no empty, '.' or '..'
 * segment once percent-decoded (nor an encoded '/' or '\'), so that every resolver — URL
 * parser, file system, base-name match — reads the same relative path. A leading './' (TF.js's
 * browser downloads write one) is the one exception. Throws a ValueError naming the problem.
 */
export function checkWeightsPath(path: string, where: string): WeightsPath {
  const refuse = (reason: string): ValueError => refusal(path, where, reason);
  if (CONTROL_CHARACTER.test(path)) throw refuse('holds a control character');
  if (path.includes('\\')) throw refuse('holds a backslash');
  const scheme = SCHEME.exec(path);
  if (scheme) throw refuse(`starts with a scheme ('${scheme[0]}'): it could name another origin or location`);
  if (path.startsWith('/')) throw refuse('is absolute');
  if (/[?#]/.test(path)) throw refuse("holds '?' or '#', which a URL reads as a query or fragment");
  const segments = (path.startsWith('./') ? path.slice(2) : path).split('/');
  const decoded = segments.map((segment) => {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      throw refuse(`has a malformed percent escape in '${shown(segment)}'`);
    }
    if (text === '') throw refuse('has an empty segment');
    if (text === '..') throw refuse(segment === '..' ? "has a '..' segment" : `has a segment '${segment}' that decodes to '..'`);
    if (text === '.') throw refuse("has a '.' segment");
    if (/[\\/]/.test(text) || CONTROL_CHARACTER.test(text))
      throw refuse(`has a segment '${shown(segment)}' that decodes to a separator or control character`);
    return text;
  });
  return { text: path, segments, decoded };
}

function decodedOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The URL of a checked weights path, resolved against model.json's URL. It must stay under
 * model.json's folder: same origin, the folder's path as prefix, the same segments after it.
 */
export function weightsUrl(path: WeightsPath, modelJsonUrl: string, where: string): string {
  const base = new URL(modelJsonUrl);
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  let target: URL;
  try {
    // './' keeps a first segment with a colon from reading as a scheme.
    target = new URL(`./${path.segments.join('/')}`, base);
  } catch (error) {
    throw new ValueError(`The weights path '${shown(path.text)}' in ${where} is not a valid relative URL.`, { cause: error });
  }
  const rest = target.pathname.startsWith(folder) ? target.pathname.slice(folder.length).split('/') : [];
  const stays =
    target.origin === base.origin &&
    target.search === '' &&
    target.hash === '' &&
    rest.length === path.decoded.length &&
    rest.every((segment, i) => decodedOrUndefined(segment) === path.decoded[i]);
  if (!stays) {
    throw new ValueError(
      `The weights path '${shown(path.text)}' in ${where} resolves to ${target.href}, outside model.json's folder ${base.origin}${folder}.`,
    );
  }
  return target.href;
}
