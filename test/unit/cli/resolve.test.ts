// One meaning of <design> for every command: components with --set overrides, bundled dataflow
// designs, and errors that name the field and the allowed values.
import { expect } from 'chai';
import { MxgenError } from '../../../src/hdl/index.js';
import { parseSets, resolveDesign } from '../../../src/flow/resolve.js';
import { rejected as failure } from '../../support/mxgen-error.js';

describe('cli: resolving <design>', () => {
  it('--set values are YAML scalars and dotted keys nest', () => {
    expect(parseSets(['k=32', 'fp32=true', 'format=mxfp8_e4m3', 'a.b=x'])).to.deep.equal({
      k: 32,
      fp32: true,
      format: 'mxfp8_e4m3',
      a: { b: 'x' },
    });
  });

  it('a malformed --set names itself', async () => {
    expect(() => parseSets(['k32'])).to.throw(MxgenError, '--set "k32" is not key=value');
  });

  it('<kind> is its first example; --set overrides it and names the folder after the module', async () => {
    const plain = await resolveDesign('mx-dot');
    expect(plain.source).to.equal('component');
    expect(plain.name).to.match(/^mx-dot-/);
    const d = await resolveDesign('mx-dot', ['format=mxfp4_e2m1', 'k=4', 'fp32=false']);
    if (d.source !== 'component') throw new Error('expected a component');
    expect(d.component.config).to.include({ format: 'mxfp4_e2m1', k: 4, fp32: false });
    expect(d.name).to.equal(d.component.kind.moduleName(d.component.config));
    expect(d.build().name).to.equal(d.name);
  });

  it('a bad --set value is a config error naming the field and the allowed values', async () => {
    const e = await failure(resolveDesign('mx-dot', ['format=fp9']));
    expect(e.kind).to.equal('config');
    expect(e.message).to.match(/^mx-dot\.format: format must be one of mxint8, /);
  });

  it('a bundled dataflow design resolves by name and refuses --set', async () => {
    const d = await resolveDesign('default');
    expect(d.source).to.equal('dataflow');
    const e = await failure(resolveDesign('default', ['k=1']));
    expect(e.message).to.equal('--set applies to components, not to the dataflow design default');
  });

  it('an unknown name lists the known component kinds', async () => {
    const e = await failure(resolveDesign('no-such-thing'));
    expect(e.message).to.equal('unknown component kind "no-such-thing"');
    expect(e.hint).to.contain('mac-array');
  });
});
