/**
 * Text, links and document information of a PDF as a reader sees them (pdf.js through unpdf's serverless build),
 * so tests assert what is printed rather than how the bytes are laid out.
 */
import { getDocumentProxy } from 'unpdf';

export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; text: string; info: Record<string, unknown>; links: string[] }> {
  const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  try {
    const pages: string[] = [];
    const links: string[] = [];
    for (let index = 1; index <= document.numPages; index += 1) {
      const page = await document.getPage(index);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
      for (const annotation of (await page.getAnnotations()) as Array<{ url?: string }>) if (annotation.url) links.push(annotation.url);
    }
    const { info } = await document.getMetadata();
    return { pages, text: pages.join('\n'), info: info as Record<string, unknown>, links };
  } finally {
    await document.destroy();
  }
}
