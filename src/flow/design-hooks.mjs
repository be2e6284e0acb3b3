// Module hooks (registered by cli/design.ts before it imports a design file): a TypeScript design
// outside a `"type": "module"` package would be loaded as CommonJS, and its `import` of mxgen's ES
// modules then fails ("Cannot require() ES Module … in a cycle"). Every .ts file outside
// node_modules is an ES module here, whatever the nearest package.json says.
export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  if (
    r.url.startsWith('file:') &&
    /\.ts$/.test(r.url) &&
    !r.url.includes('/node_modules/') &&
    r.format !== 'module'
  )
    return { ...r, format: 'module' };
  return r;
}
