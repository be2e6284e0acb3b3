// The formats catalogue (`mxgen formats`) against values derived by hand from formats.md section 2:
// bias, extremes as exact decimals and as odd·2^k, the fixed-point LSB and significand range, and
// the special encodings (mutation testing found the catalogue checked only through the CLI).
import { expect } from 'chai';
import { formatCatalogue, oliveCatalogue } from '../../../src/numerics/index.js';

// Built inside each test, not at import: StrykerJS then sees the catalogue code run per test
// (module-level code would make its mutants "static", left out of the score).
const entry = (name: string): Record<string, unknown> => {
  const e = formatCatalogue().find((x) => x.name === name);
  if (!e) throw new Error(`no catalogue entry ${name}`);
  const { title: _title, ...rest } = e;
  return rest;
};

describe('numerics: formats catalogue (formats.md 2)', () => {
  it('fp8_e4m3: bias 7, 2^-9 .. 448, NaN 0x7F/0xFF, no Inf', () => {
    expect(entry('fp8_e4m3')).to.deep.equal({
      name: 'fp8_e4m3',
      bits: 8,
      bias: 7,
      minSubnormal: '0.001953125', // 2^-9 = 2^(1-7) · 2^-3
      minNormal: '0.015625', // 2^-6
      max: '448', // 1.75 · 2^8 (1.111 · 2^8 is NaN)
      min: '-448',
      lsbExp: -9,
      maxSig: '229376', // 448 · 2^9
      minSig: '-229376',
      specials: ['NaN 0x7F 0xFF', '-0 0x80'],
      dyadic: { minSubnormal: '1·2^-9', minNormal: '1·2^-6', max: '7·2^6' },
    });
  });

  it('fp8_e5m2: bias 15, 2^-16 .. 57344, three NaN codes per sign, ±Inf', () => {
    expect(entry('fp8_e5m2')).to.deep.equal({
      name: 'fp8_e5m2',
      bits: 8,
      bias: 15,
      minSubnormal: '0.0000152587890625', // 2^-16
      minNormal: '0.00006103515625', // 2^-14
      max: '57344', // 1.75 · 2^15
      min: '-57344',
      lsbExp: -16,
      maxSig: '3758096384', // 57344 · 2^16
      minSig: '-3758096384',
      specials: ['NaN 0x7D 0x7E 0x7F 0xFD 0xFE 0xFF', '+Inf 0x7C', '-Inf 0xFC', '-0 0x80'],
      dyadic: { minSubnormal: '1·2^-16', minNormal: '1·2^-14', max: '7·2^13' },
    });
  });

  it('fp4_e2m1: bias 1, 0.5 .. 6, only -0 special', () => {
    expect(entry('fp4_e2m1')).to.deep.equal({
      name: 'fp4_e2m1',
      bits: 4,
      bias: 1,
      minSubnormal: '0.5',
      minNormal: '1',
      max: '6',
      min: '-6',
      lsbExp: -1,
      maxSig: '12',
      minSig: '-12',
      specials: ['-0 0x8'],
      dyadic: { minSubnormal: '1·2^-1', minNormal: '1·2^0', max: '3·2^1' },
    });
  });

  it('int8 and uint4: integers, LSB 1, no specials', () => {
    expect(entry('int8')).to.deep.equal({
      name: 'int8',
      bits: 8,
      bias: null,
      minSubnormal: '1',
      minNormal: null,
      max: '127',
      min: '-128',
      lsbExp: 0,
      maxSig: '127',
      minSig: '-128',
      specials: ['none'],
      dyadic: { minSubnormal: '1·2^0', minNormal: null, max: '127·2^0' },
    });
    expect(entry('uint4')).to.include({ max: '15', min: '0', maxSig: '15', minSig: '0' });
  });

  it('e8m0: bias 127, 2^-127 .. 2^127, NaN 0xFF, no subnormals', () => {
    const e = entry('e8m0');
    expect(e).to.include({ bits: 8, bias: 127, minSubnormal: null, lsbExp: -127 });
    expect(e.min).to.equal(e.minNormal);
    // 2^-127 = 5^127 / 10^127: 127 decimals, the digits of 5^127 right-aligned.
    expect(e.minNormal).to.equal(`0.${(5n ** 127n).toString().padStart(127, '0')}`);
    expect(e.specials).to.deep.equal(['NaN 0xFF']);
    expect(e.dyadic).to.deep.equal({ minSubnormal: null, minNormal: '1·2^-127', max: '1·2^127' });
  });

  it('OliVe pairs: olive4 normals ±7, outliers ±8..±96; olive8 identifier 0x80', () => {
    const [o4, o8] = oliveCatalogue();
    expect(o4).to.include({ name: 'olive4', bits: 4, max: '96', min: '-96', maxSig: '96' });
    expect(o4?.title).to.contain('int4 normals -7..7');
    expect(o4?.specials[0]).to.match(/^0x8 = outlier identifier/);
    expect(o8).to.include({ name: 'olive8', bits: 8 });
    expect(o8?.specials[0]).to.match(/^0x80 = outlier identifier/);
  });

  it('OliVe rows in full: outlier ranges 12..96 (olive4, 6.2) and 132..2016 (olive8, 6.6)', () => {
    const [o4, o8] = oliveCatalogue();
    expect(o4).to.deep.equal({
      name: 'olive4',
      title:
        'OliVe outlier-victim pairs: int4 normals -7..7, abfloat outliers ±12..±96 (units of σ)',
      bits: 4,
      bias: null,
      minSubnormal: '1',
      minNormal: null,
      max: '96',
      min: '-96',
      lsbExp: 0,
      maxSig: '96',
      minSig: '-96',
      specials: [
        '0x8 = outlier identifier: this slot is the victim (0), the other an outlier ±12..±96',
      ],
      dyadic: { minSubnormal: '1·2^0', minNormal: null, max: '3·2^5' },
    });
    expect(o8?.title).to.equal(
      'OliVe outlier-victim pairs: int8 normals -127..127, abfloat outliers ±132..±2016 (units of σ)',
    );
    expect(o8).to.include({ max: '2016', min: '-2016', maxSig: '2016', minSig: '-2016' });
    expect(o8?.specials).to.deep.equal([
      '0x80 = outlier identifier: this slot is the victim (0), the other an outlier ±132..±2016',
    ]);
    expect(o8?.dyadic.max).to.equal('63·2^5');
  });

  it('BitMoD grids list the special code in place of -0; the MXINT8 element is 1.6 fixed point', () => {
    expect(entry('bitmod_fp4_er+')).to.deep.equal({
      name: 'bitmod_fp4_er+',
      bits: 4,
      bias: null,
      minSubnormal: '0.5',
      minNormal: null,
      max: '6',
      min: '-6',
      lsbExp: -1,
      maxSig: '12',
      minSig: '-12',
      specials: ['0x8 = 5 (replaces -0)'],
      dyadic: { minSubnormal: '1·2^-1', minNormal: null, max: '3·2^1' },
    });
    expect(entry('bitmod_fp3_ea-')).to.include({ max: '4', min: '-6', maxSig: '4', minSig: '-6' });
    expect(entry('bitmod_fp3_ea-').specials).to.deep.equal(['0x4 = -6 (replaces -0)']);
    expect(entry('mxint8_element')).to.include({
      max: '1.984375',
      min: '-2',
      minSubnormal: '0.015625',
      lsbExp: -6,
      maxSig: '127',
      minSig: '-128',
    });
    expect(entry('fp6_e3m2')).to.include({ bias: 3, max: '28', minNormal: '0.25' });
    expect(entry('fp6_e3m2').dyadic).to.deep.equal({
      minSubnormal: '1·2^-4',
      minNormal: '1·2^-2',
      max: '7·2^2',
    });
    const e = formatCatalogue().find((x) => x.name === 'e8m0');
    expect(e?.max).to.equal('170141183460469231731687303715884105728'); // 2^127
  });
});
