import { fileTypeFromBuffer, supportedExtensions } from 'file-type';
import type { FileSettings } from '../fields/file.ts';

/**
 * Types a download may be served as. Anything else goes out as application/octet-stream, so
 * nothing uploaded reaches a browser as HTML, SVG or script.
 */
const SERVABLE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/tiff',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'audio/mpeg',
  'audio/wav',
  'video/mp4',
  'video/quicktime',
]);

export const OCTET_STREAM = 'application/octet-stream';

export function servableType(type: string): string {
  return SERVABLE.has(type) ? type : OCTET_STREAM;
}

/** Extensions of plain text: no signature to sniff, so the content only has to look like text. */
const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  log: 'text/plain',
  md: 'text/plain',
};

/** Extensions whose content a signature sniffer sees only as its container format. */
const CONTAINERS: Record<string, { container: string; type: string }> = {
  doc: { container: 'cfb', type: 'application/msword' },
  xls: { container: 'cfb', type: 'application/vnd.ms-excel' },
  ppt: { container: 'cfb', type: 'application/vnd.ms-powerpoint' },
  docx: { container: 'zip', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { container: 'zip', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  pptx: {
    container: 'zip',
    type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
  odt: { container: 'zip', type: 'application/vnd.oasis.opendocument.text' },
  ods: { container: 'zip', type: 'application/vnd.oasis.opendocument.spreadsheet' },
  odp: { container: 'zip', type: 'application/vnd.oasis.opendocument.presentation' },
};

const ALIASES: Record<string, string> = { jpeg: 'jpg', tiff: 'tif', htm: 'html' };

/** How many leading bytes the type is judged on. */
export const SNIFF_BYTES = 64 * 1024;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  const ext = name.slice(dot + 1).toLowerCase();
  return ALIASES[ext] ?? ext;
}

export type TypeVerdict =
  | { ok: true; type: string }
  | {
      ok: false;
      reason: 'mismatch' | 'not-accepted';
      detected: string;
      messages: { en: string; 'zh-CN': string };
    };

/**
 * The real type of an upload from its first bytes, checked against what its name claims and what
 * the field accepts. A name whose format has a signature (.png, .pdf …) must have that signature;
 * a text name (.txt, .csv) must hold text; other names are kept as opaque bytes.
 */
export async function judgeType(
  name: string,
  head: Uint8Array,
  settings: FileSettings,
): Promise<TypeVerdict> {
  const ext = extensionOf(name);
  const sniffed = await fileTypeFromBuffer(head);
  const known = supportedExtensions.has(ext as never) || ext in CONTAINERS || ext in TEXT_TYPES;
  let type: string;
  if (ext !== '' && !known) {
    // a format the platform knows nothing of: kept and served as opaque bytes
    type = OCTET_STREAM;
  } else if (sniffed) {
    const sniffedExt = ALIASES[sniffed.ext] ?? sniffed.ext;
    const container = CONTAINERS[ext];
    if (container && (sniffedExt === container.container || sniffedExt === ext)) type = container.type;
    else if (ext === '' || sniffedExt === ext) type = sniffed.mime;
    else return mismatch(name, ext, sniffed.mime);
  } else if (ext in TEXT_TYPES) {
    if (!looksLikeText(head)) return mismatch(name, ext, 'binary data');
    type = TEXT_TYPES[ext];
  } else if (ext === '') {
    type = OCTET_STREAM;
  } else {
    return mismatch(name, ext, looksLikeText(head) ? 'text' : 'data of another format');
  }
  if (!accepted(settings.accept, ext, type)) {
    const allowed = settings.accept.join(', ');
    return {
      ok: false,
      reason: 'not-accepted',
      detected: type,
      messages: {
        en: `files of this type (${ext ? `.${ext}, ` : ''}${type}) are not accepted here; allowed: ${allowed}`,
        'zh-CN': `不接受此类型的文件（${ext ? `.${ext}，` : ''}${type}）；允许：${allowed}`,
      },
    };
  }
  return { ok: true, type };
}

function mismatch(name: string, ext: string, detected: string): TypeVerdict {
  return {
    ok: false,
    reason: 'mismatch',
    detected,
    messages: {
      en: `the content of '${name}' is not a .${ext} file (it looks like ${detected})`,
      'zh-CN': `文件“${name}”的内容不是 .${ext} 格式（检测为 ${detected}）`,
    },
  };
}

/** Text has no NUL bytes (UTF-8 and the GB encodings alike). */
function looksLikeText(head: Uint8Array): boolean {
  return !head.includes(0);
}

function accepted(accept: string[], ext: string, type: string): boolean {
  if (accept.length === 0) return true;
  return accept.some((rule) => {
    if (rule.startsWith('.')) return (ALIASES[rule.slice(1)] ?? rule.slice(1)) === ext;
    if (rule.endsWith('/*')) return type.startsWith(rule.slice(0, -1));
    return rule === type;
  });
}
