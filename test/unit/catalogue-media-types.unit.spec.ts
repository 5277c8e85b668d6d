import { expect } from 'chai';
import { acceptedMediaTypes, canonicalMediaType, contentMismatch, mediaTypeOfHeader, type Material } from '../../domain/catalogue/index.ts';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('media types of uploads, by content', () => {
  it('given content that starts as its declared type does, then it matches', () => {
    expect(contentMismatch('application/pdf', bytes('%PDF-1.7\n'))).to.equal(null);
    expect(contentMismatch('image/jpeg', bytes([0xff, 0xd8, 0xff, 0xdb]))).to.equal(null);
    expect(contentMismatch('image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'))).to.equal(null);
    expect(contentMismatch('image/webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).to.equal(null);
    expect(contentMismatch('application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes([0x50, 0x4b, 0x03, 0x04]))).to.equal(null);
  });

  it('given content of another known type, or none, sent as a type with a known signature, then it names what the content is', () => {
    expect(contentMismatch('image/jpeg', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).to.equal('the file was sent as image/jpeg but its content is a PNG image');
    expect(contentMismatch('application/pdf', bytes('<html>'))).to.equal('the file was sent as application/pdf but its content does not start as application/pdf does');
    expect(contentMismatch('image/jpeg', bytes([0xff, 0xd8]))).to.not.equal(null);
  });

  it('given a genuine file sent under another common name of its type (image/jpg, image/pjpeg, application/x-pdf, Windows\' application/x-zip-compressed), or a presentation, then it is read as its type and matches', () => {
    expect(canonicalMediaType('image/pjpeg')).to.equal('image/jpeg');
    expect(canonicalMediaType('image/jpg')).to.equal('image/jpeg');
    expect(canonicalMediaType('application/x-pdf')).to.equal('application/pdf');
    expect(canonicalMediaType('application/x-zip-compressed')).to.equal('application/zip');
    expect(canonicalMediaType('text/plain')).to.equal('text/plain');
    expect(contentMismatch('image/pjpeg', bytes([0xff, 0xd8, 0xff, 0xe0]))).to.equal(null);
    expect(contentMismatch('application/x-zip-compressed', bytes([0x50, 0x4b, 0x03, 0x04]))).to.equal(null);
    expect(contentMismatch('application/vnd.openxmlformats-officedocument.presentationml.presentation', bytes([0x50, 0x4b, 0x03, 0x04]))).to.equal(null);
    expect(contentMismatch('application/vnd.ms-powerpoint', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).to.equal(null);
    expect(contentMismatch('image/jpg', bytes('<html><script>'))).to.not.equal(null);
  });

  it('given a type without a known signature, then any content but another known type\'s matches', () => {
    expect(contentMismatch('text/plain', bytes('just text'))).to.equal(null);
    expect(contentMismatch('text/plain', bytes('%PDF-1.4'))).to.equal('the file was sent as text/plain but its content is a PDF');
  });

  it('given evidence with no list of its own, then it accepts PDF, JPEG and PNG; with one, or an upload material, its own list', () => {
    const evidence: Material = { id: 'e', kind: 'evidence', name: { 'zh-CN': 'e', en: 'e' }, key: false, dataItem: 'd', fields: ['f'] };
    expect(acceptedMediaTypes(evidence)).to.deep.equal(['application/pdf', 'image/jpeg', 'image/png']);
    expect(acceptedMediaTypes({ ...evidence, mediaTypes: ['application/pdf'] })).to.deep.equal(['application/pdf']);
    expect(acceptedMediaTypes({ id: 'u', kind: 'upload', name: { 'zh-CN': 'u', en: 'u' }, key: true, mediaTypes: ['image/png'], maxBytes: 10 })).to.deep.equal(['image/png']);
  });

  it('given a catalogue that lists another common name of a type (image/jpg), then the material accepts the type by its registered name, once', () => {
    const upload: Material = { id: 'u', kind: 'upload', name: { 'zh-CN': 'u', en: 'u' }, key: true, mediaTypes: ['image/jpg'], maxBytes: 10 };
    expect(acceptedMediaTypes(upload)).to.deep.equal(['image/jpeg']);
    expect(acceptedMediaTypes({ ...upload, mediaTypes: ['application/pdf', 'application/x-pdf', 'image/pjpeg'] })).to.deep.equal(['application/pdf', 'image/jpeg']);
  });

  it('given a Content-Type header, then its media type is read lower-cased, without parameters, by its registered name; names of Object\'s members read as themselves', () => {
    expect(mediaTypeOfHeader('Image/JPG; charset=binary')).to.equal('image/jpeg');
    expect(mediaTypeOfHeader(' application/x-pdf ')).to.equal('application/pdf');
    expect(mediaTypeOfHeader(undefined)).to.equal('');
    for (const name of ['constructor', '__proto__', 'hasownproperty', 'tostring']) {
      expect(canonicalMediaType(name)).to.equal(name);
      expect(mediaTypeOfHeader(name)).to.equal(name);
      expect(contentMismatch(name, bytes('plain words'))).to.equal(null);
      expect(contentMismatch(name, bytes('%PDF-1.4'))).to.equal(`the file was sent as ${name} but its content is a PDF`);
    }
  });
});
