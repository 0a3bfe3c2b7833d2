/**
 * The embedded search index on disk, so that `npm start` loads it instead of rebuilding it from a
 * table scan: one file beside the indexer's stream checkpoint (`<table>.search-index.snapshot` in
 * `.data/stream/`), holding the index's state and the stream sequence number it is complete up to.
 * At start the runtime loads it and the indexer catches up from that sequence number; anything
 * wrong with the file (missing, unreadable, truncated, another format) means a full rebuild, as before.
 *
 * Layout: the magic `CPSEARCH`, a little-endian u32 format version, a u32 header length, the header
 * (JSON: sequence, counts, and the byte offset, length and kind of every section), then the sections,
 * each 8-byte aligned: one JSON section of short strings (ids, dates, terms, interned values) and raw
 * little-endian typed arrays — the index's columns, postings, and the documents' JSON bytes, which
 * are parsed one document at a time when an answer shows it, never at load. Loading is one read and
 * views into it: no per-document parse or rebuild (format 2000+; format 1000+ held the documents as
 * one JSON array, parsed and re-derived at every start, and is rebuilt from the table once). Written
 * with writeFileAtomic (temporary file, fsync, rename), so a crash leaves the old or the new snapshot,
 * never half of one.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  FAST_INDEX_STATE_VERSION,
  type FastIndexState,
  FastSearchIndex,
} from '../functions/search/embedded/fast-index';
import { writeFileAtomic } from './atomic-file';

const MAGIC = 'CPSEARCH';
/** The file layout's version, with the index state's version: either changing means a rebuild. */
export const SNAPSHOT_FORMAT = 2_000 + FAST_INDEX_STATE_VERSION;

type Kind = 'json' | 'u8' | 'i32' | 'f64';
interface Section {
  name: string;
  kind: Kind;
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

/** The state's short string lists, in one JSON section (a few MiB at 100k documents). */
type Strings = Pick<
  FastIndexState,
  'ids' | 'updatedAt' | 'classes' | 'types' | 'spaces' | 'authors' | 'tags' | 'contributors' | 'terms'
>;
const COLUMNS = [
  ['documentBytes', 'u8'],
  ['documentEnds', 'f64'],
  ['seq', 'f64'],
  ['accessClass', 'i32'],
  ['typeOf', 'u8'],
  ['spaceOf', 'i32'],
  ['authorOf', 'i32'],
  ['tagStart', 'i32'],
  ['tagCount', 'i32'],
  ['tagPool', 'i32'],
  ['contributorEnds', 'i32'],
  ['contributorValues', 'i32'],
  ['updatedMs', 'f64'],
  ['termMask', 'i32'],
  ['sortedMain', 'i32'],
  ['sortedDelta', 'i32'],
] as const;
const PER_FIELD = [
  ['fieldLength', 'i32'],
  ['postingOffsets', 'i32'],
  ['postingValues', 'i32'],
] as const;
const FIELDS = [0, 1, 2, 3, 4];

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
  const strings: Strings = {
    ids: state.ids,
    updatedAt: state.updatedAt,
    classes: state.classes,
    types: state.types,
    spaces: state.spaces,
    authors: state.authors,
    tags: state.tags,
    contributors: state.contributors,
    terms: state.terms,
  };
  const parts: { name: string; kind: Kind; bytes: Uint8Array }[] = [
    { name: 'strings', kind: 'json', bytes: Buffer.from(JSON.stringify(strings)) },
    ...COLUMNS.map(([name, kind]) => ({ name, kind, bytes: bytesOf(state[name]) })),
    ...PER_FIELD.flatMap(([name, kind]) =>
      FIELDS.map((f) => ({ name: `${name}${f}`, kind, bytes: bytesOf(state[name][f]) })),
    ),
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
    documents: state.ids.length,
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
  const padding = Buffer.alloc(8);
  const chunks: Uint8Array[] = [prefix];
  for (const part of parts) {
    chunks.push(part.bytes);
    const pad = align(part.bytes.byteLength) - part.bytes.byteLength;
    if (pad) chunks.push(padding.subarray(0, pad));
  }
  writeFileAtomic(file, chunks);
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
    const slice = (name: string, kind: Kind) => {
      const section = sections.get(name);
      if (!section || section.kind !== kind) throw new Error(`section ${name} is missing`);
      const start = base + section.offset;
      if (section.offset < 0 || start + section.length > buffer.byteLength)
        throw new Error(`section ${name} is cut short`);
      return { section, start };
    };
    // Columns are views into the file's bytes (read once, sections 8-byte aligned), not copies.
    const aligned = buffer.byteOffset % 8 === 0 ? buffer : Buffer.from(buffer);
    const typed = (name: string, kind: Exclude<Kind, 'json'>) => {
      const { section, start } = slice(name, kind);
      const Kind = kind === 'u8' ? Uint8Array : kind === 'i32' ? Int32Array : Float64Array;
      if (section.length % Kind.BYTES_PER_ELEMENT) throw new Error(`section ${name} is cut short`);
      return new Kind(
        aligned.buffer as ArrayBuffer,
        aligned.byteOffset + start,
        section.length / Kind.BYTES_PER_ELEMENT,
      ) as never;
    };
    const { section: stringsSection, start: stringsStart } = slice('strings', 'json');
    const strings = JSON.parse(
      buffer.toString('utf8', stringsStart, stringsStart + stringsSection.length),
    ) as Strings;
    const columns = Object.fromEntries(COLUMNS.map(([name, kind]) => [name, typed(name, kind)]));
    const perField = Object.fromEntries(
      PER_FIELD.map(([name, kind]) => [name, FIELDS.map((f) => typed(`${name}${f}`, kind))]),
    );
    const state = { ...strings, ...columns, ...perField, nextSeq: header.nextSeq } as FastIndexState;
    if (state.ids.length !== header.documents || state.terms.length !== header.terms)
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

function bytesOf(array: Uint8Array | Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align(n: number) {
  return Math.ceil(n / 8) * 8;
}
