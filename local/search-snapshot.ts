/**
 * The embedded search index on disk, so that `npm start` loads it instead of rebuilding it from a
 * table scan: one file beside the indexer's stream checkpoint (`<table>.search-index.snapshot` in
 * `.data/stream/`), holding the index's state and the stream sequence number it is complete up to.
 * At start the runtime loads it and the indexer catches up from that sequence number; anything
 * wrong with the file (missing, unreadable, truncated, another format) means a full rebuild, as before.
 *
 * Layout: the magic `CPSEARCH`, a little-endian u32 format version, a u32 header length, the header
 * (JSON: sequence, counts, and the byte offset, length and kind of every section), then the sections,
 * each 8-byte aligned: JSON (documents, terms) or raw little-endian typed arrays. The file is written
 * to a temporary name, flushed and renamed over the old one, so a crash leaves the old or the new
 * snapshot, never half of one.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  FAST_INDEX_STATE_VERSION,
  type FastIndexState,
  FastSearchIndex,
} from '../functions/search/embedded/fast-index';

const MAGIC = 'CPSEARCH';
/** The file layout's version, with the index state's version: either changing means a rebuild. */
export const SNAPSHOT_FORMAT = 1_000 + FAST_INDEX_STATE_VERSION;

interface Section {
  name: string;
  kind: 'json' | 'i32' | 'f64';
  offset: number;
  length: number;
}

interface Header {
  format: number;
  sequence: string;
  savedAt: string;
  documents: number;
  terms: number;
  nextSeq: number;
  sections: Section[];
}

export type LoadedSnapshot =
  | { status: 'loaded'; index: FastSearchIndex; sequence: string; documents: number; savedAt: string }
  | { status: 'missing' }
  | { status: 'unusable'; reason: string };

export function snapshotPath(stateDirectory: string, tableName: string) {
  return path.join(stateDirectory, `${tableName}.search-index.snapshot`);
}

/** Writes the index and the sequence number it is complete up to, atomically. Returns the bytes written. */
export function saveSnapshot(file: string, index: FastSearchIndex, sequence: string): number {
  const state = index.exportState();
  const parts: { name: string; kind: Section['kind']; bytes: Uint8Array }[] = [
    { name: 'documents', kind: 'json', bytes: Buffer.from(JSON.stringify(state.documents)) },
    { name: 'terms', kind: 'json', bytes: Buffer.from(JSON.stringify(state.terms)) },
    { name: 'seq', kind: 'f64', bytes: bytesOf(state.seq) },
    { name: 'sortedMain', kind: 'i32', bytes: bytesOf(state.sortedMain) },
    { name: 'sortedDelta', kind: 'i32', bytes: bytesOf(state.sortedDelta) },
    ...state.fieldLength.map((array, f) => ({
      name: `fieldLength${f}`,
      kind: 'i32' as const,
      bytes: bytesOf(array),
    })),
    ...state.postingOffsets.map((array, f) => ({
      name: `postingOffsets${f}`,
      kind: 'i32' as const,
      bytes: bytesOf(array),
    })),
    ...state.postingValues.map((array, f) => ({
      name: `postingValues${f}`,
      kind: 'i32' as const,
      bytes: bytesOf(array),
    })),
  ];
  let offset = 0;
  const sections: Section[] = parts.map((part) => {
    const section = { name: part.name, kind: part.kind, offset, length: part.bytes.byteLength };
    offset = align(offset + part.bytes.byteLength);
    return section;
  });
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    sequence,
    savedAt: new Date().toISOString(),
    documents: state.documents.length,
    terms: state.terms.length,
    nextSeq: state.nextSeq,
    sections,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(align(16 + headerBytes.byteLength));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(SNAPSHOT_FORMAT, 8);
  prefix.writeUInt32LE(headerBytes.byteLength, 12);
  headerBytes.copy(prefix, 16);

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, prefix);
    const padding = Buffer.alloc(8);
    for (const part of parts) {
      fs.writeSync(fd, part.bytes);
      const pad = align(part.bytes.byteLength) - part.bytes.byteLength;
      if (pad) fs.writeSync(fd, padding, 0, pad);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  return prefix.byteLength + offset;
}

/** Reads a snapshot; never throws — a file that cannot be used says why. */
export function loadSnapshot(file: string, now: () => number = Date.now): LoadedSnapshot {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'unusable', reason: `cannot be read (${(error as Error).message})` };
  }
  try {
    if (buffer.byteLength < 16 || buffer.toString('latin1', 0, 8) !== MAGIC)
      return { status: 'unusable', reason: 'is not a search index snapshot' };
    const format = buffer.readUInt32LE(8);
    if (format !== SNAPSHOT_FORMAT)
      return { status: 'unusable', reason: `has format ${format}; this version reads ${SNAPSHOT_FORMAT}` };
    const headerLength = buffer.readUInt32LE(12);
    const header = JSON.parse(buffer.toString('utf8', 16, 16 + headerLength)) as Header;
    const base = align(16 + headerLength);
    const sections = new Map(header.sections.map((section) => [section.name, section]));
    const slice = (name: string) => {
      const section = sections.get(name);
      if (!section) throw new Error(`section ${name} is missing`);
      const start = base + section.offset;
      if (start + section.length > buffer.byteLength) throw new Error(`section ${name} is cut short`);
      return { section, start };
    };
    const json = (name: string) => {
      const { section, start } = slice(name);
      return JSON.parse(buffer.toString('utf8', start, start + section.length));
    };
    const typed = <T extends Int32Array | Float64Array>(
      name: string,
      Kind: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
    ) => {
      const { section, start } = slice(name);
      // A copy into its own aligned buffer: the index keeps these, not the whole file.
      const copy = new ArrayBuffer(section.length);
      new Uint8Array(copy).set(buffer.subarray(start, start + section.length));
      return new Kind(copy);
    };
    const fields = [0, 1, 2, 3, 4];
    const state: FastIndexState = {
      documents: json('documents'),
      terms: json('terms'),
      seq: typed('seq', Float64Array),
      nextSeq: header.nextSeq,
      sortedMain: typed('sortedMain', Int32Array),
      sortedDelta: typed('sortedDelta', Int32Array),
      fieldLength: fields.map((f) => typed(`fieldLength${f}`, Int32Array)),
      postingOffsets: fields.map((f) => typed(`postingOffsets${f}`, Int32Array)),
      postingValues: fields.map((f) => typed(`postingValues${f}`, Int32Array)),
    };
    if (state.documents.length !== header.documents || state.terms.length !== header.terms)
      throw new Error('counts do not agree with the header');
    const index = FastSearchIndex.fromState(state, now);
    return {
      status: 'loaded',
      index,
      sequence: header.sequence,
      documents: header.documents,
      savedAt: header.savedAt,
    };
  } catch (error) {
    return { status: 'unusable', reason: `is damaged (${(error as Error).message})` };
  }
}

function bytesOf(array: Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align(n: number) {
  return Math.ceil(n / 8) * 8;
}
