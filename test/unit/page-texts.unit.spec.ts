import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';

// The pages' texts are plain browser modules; loaded by URL so the type checker does not need their declarations.
const JS_DIR = fileURLToPath(new URL('../../api/pages/static/js/', import.meta.url));
const TEXT_FILES = readdirSync(JS_DIR).filter((f) => /^texts-.+\.js$/.test(f));

type Texts = Record<string, unknown>;
const load = async (file: string): Promise<Texts> => {
  const module = (await import(pathToFileURL(`${JS_DIR}${file}`).href)) as Record<string, Texts>;
  return Object.assign({}, ...Object.values(module)) as Texts;
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('page texts: every key in both languages, every key the pages name exists', () => {
  let all: Texts;
  before(async () => {
    all = Object.assign({}, ...(await Promise.all(TEXT_FILES.map(load)))) as Texts;
  });

  it('given the text files, then there are some to check', () => {
    expect(TEXT_FILES.length).to.be.at.least(3);
    expect(Object.keys(all).length).to.be.at.least(100);
  });

  it('given every text entry, then it has a non-empty Chinese and English text with the same placeholders', () => {
    const bad: string[] = [];
    for (const [key, entry] of Object.entries(all)) {
      if (!Array.isArray(entry) || entry.length !== 2 || entry.some((s) => typeof s !== 'string' || s.trim() === '')) {
        bad.push(`${key}: must be [zh-CN, en], both non-empty`);
        continue;
      }
      const [zh, en] = entry as [string, string];
      if (placeholders(zh).join() !== placeholders(en).join()) bad.push(`${key}: placeholders differ (${placeholders(zh).join()} / ${placeholders(en).join()})`);
    }
    expect(bad).to.deep.equal([]);
  });

  it('given every t("...") and data-i18n key written out in the page scripts and the shell, then the dictionary has it', () => {
    const sources = readdirSync(JS_DIR).filter((f) => f.endsWith('.js') && !f.startsWith('texts')).map((f) => [f, readFileSync(`${JS_DIR}${f}`, 'utf8')] as const);
    sources.push(['shell.html', readFileSync(new URL('../../api/pages/static/shell.html', import.meta.url), 'utf8')]);
    const missing: string[] = [];
    let scanned = 0;
    for (const [file, text] of sources) {
      const keys = [
        ...[...text.matchAll(/\bt\('([A-Za-z0-9_.-]+)'/g)].map((m) => m[1]!),
        ...[...text.matchAll(/data-i18n(?:-[a-z]+)?="([A-Za-z0-9_.-]+)"/g)].map((m) => m[1]!),
      ];
      scanned += keys.length;
      for (const key of keys) if (!(key in all)) missing.push(`${file}: ${key}`);
    }
    expect(scanned, 'keys found in the page scripts').to.be.at.least(200);
    expect(missing).to.deep.equal([]);
  });

  it('given every form issue code the API can answer, then each has a field message in both languages', () => {
    const codes = ['required', 'type', 'minLength', 'maxLength', 'phone', 'citizenId', 'creditCode', 'option', 'integer', 'minimum', 'maximum', 'date', 'future', 'past', 'earliest', 'latest', 'unknown'];
    expect(codes.filter((c) => !(`formError.${c}` in all))).to.deep.equal([]);
  });
});
