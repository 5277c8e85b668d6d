/**
 * PDF documents the platform prints (certificates, notices), on pdfkit with a CJK font from Debian's fonts-noto-cjk.
 * Output is deterministic: the creation date is the document's own date (never the clock), pdfkit derives the file
 * id from the document info and names font subsets from their order, so one case state always renders the same
 * bytes. The font (a TrueType collection) is read once, on the first document, and shared.
 */
import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** Where Debian's fonts-noto-cjk puts its collections, Serif (宋体-like, for official documents) first. */
export const CJK_FONT_CANDIDATES = [
  { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
] as const;

let cached: { bytes: Buffer; face: string } | null = null;

/** No CJK font on this machine: documents cannot be printed (code PRINTING_UNAVAILABLE, mapped to a 503 problem). */
export class PrintingUnavailableError extends Error {
  readonly code = 'PRINTING_UNAVAILABLE';
}

function cjkFont(): { bytes: Buffer; face: string } {
  if (cached) return cached;
  const found = CJK_FONT_CANDIDATES.find((candidate) => existsSync(candidate.file));
  if (!found) throw new PrintingUnavailableError(`no CJK font for printable documents: install the Debian package fonts-noto-cjk (looked for ${CJK_FONT_CANDIDATES.map((c) => c.file).join(', ')})`);
  cached = { bytes: readFileSync(found.file), face: found.face };
  return cached;
}

export type Pdf = PDFKit.PDFDocument;

export interface PdfOptions {
  title: string;
  subject: string;
  /** The document's own date (YYYY-MM-DD): its creation date, so the bytes do not depend on when it is printed. */
  date: string;
  /** Extra entries in the document information dictionary (strings only), e.g. the receipt number. */
  info?: Record<string, string>;
}

/** A4 with the CJK font selected as "body"; the caller draws, then `finish` returns the bytes. */
export function createPdf(options: PdfOptions): { doc: Pdf; finish(): Promise<Buffer> } {
  const font = cjkFont();
  const created = new Date(`${options.date}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 72, right: 72 },
    info: { Title: options.title, Subject: options.subject, Creator: 'Errand', Producer: 'Errand', CreationDate: created, ModDate: created, ...options.info },
    lang: 'zh-CN',
    displayTitle: true,
  });
  doc.registerFont('body', font.bytes, font.face);
  doc.font('body');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    finish() {
      doc.end();
      return done;
    },
  };
}

/** A QR code of `text` drawn as vector squares at (x, y), `size` points wide, with its quiet zone. */
export function drawQr(doc: Pdf, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
  const cell = size / (count + quiet * 2);
  doc.save();
  doc.rect(x, y, size, size).fill('white');
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill('black');
  doc.restore();
}

/** The official seal: a red ring, a star and the issuing body's name around it. */
export function drawSeal(doc: Pdf, name: string, cx: number, cy: number, radius: number): void {
  doc.save();
  doc.lineWidth(3).circle(cx, cy, radius).stroke('#c00000');
  const star: Array<[number, number]> = [];
  for (let i = 0; i < 10; i += 1) {
    const r = i % 2 === 0 ? radius * 0.3 : radius * 0.12;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    star.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
  }
  doc.polygon(...star).fill('#c00000');
  // The name along the upper arc, one character at a time.
  const chars = [...name];
  const span = Math.min(Math.PI * 1.4, chars.length * 0.32);
  const size = Math.max(8, Math.min(13, radius * 0.22));
  doc.fillColor('#c00000').fontSize(size);
  chars.forEach((char, index) => {
    const angle = -Math.PI / 2 - span / 2 + (chars.length === 1 ? span / 2 : (span * index) / (chars.length - 1));
    const tx = cx + (radius - size - 4) * Math.cos(angle);
    const ty = cy + (radius - size - 4) * Math.sin(angle);
    doc.save();
    doc.rotate(((angle + Math.PI / 2) * 180) / Math.PI, { origin: [tx, ty] });
    doc.text(char, tx - size / 2, ty - size / 2, { lineBreak: false, width: size * 1.2 });
    doc.restore();
  });
  doc.restore();
  doc.fillColor('black');
}
