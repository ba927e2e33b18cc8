// Lists exported declarations and members of lib/ without TSDoc, and optional props without @default.
// Usage: node scripts/doc-audit.js   (exit 1 when something is missing)
const ts = require('typescript');
const path = require('path');
const program = ts.createProgram([path.resolve('lib/index.ts')], { allowJs: false, resolveJsonModule: true, esModuleInterop: true });
const checker = program.getTypeChecker();
const missing = [], noDefault = [];
for (const sf of program.getSourceFiles()) {
  if (!sf.fileName.startsWith(path.resolve('lib') + path.sep)) continue;
  const rel = path.relative(process.cwd(), sf.fileName);
  const hasDoc = (n) => ts.getJSDocCommentsAndTags(n).length > 0;
  const visit = (n) => {
    const exported = (ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Export) !== 0;
    if (exported && (ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isEnumDeclaration(n) || ts.isTypeAliasDeclaration(n))) {
      if (!hasDoc(n)) missing.push(`${rel}: ${n.name?.text}`);
      if (ts.isInterfaceDeclaration(n)) for (const m of n.members) {
        if (!ts.isPropertySignature(m)) continue;
        const name = `${rel}: ${n.name.text}.${m.name.getText(sf)}`;
        if (!hasDoc(m)) missing.push(name);
        else if (m.questionToken && /Props$|Options$/.test(n.name.text) && !ts.getJSDocTags(m).some((t) => t.tagName.text === 'default')) noDefault.push(name);
      }
      if (ts.isClassDeclaration(n)) for (const m of n.members) {
        const isPublic = !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
        if (isPublic && (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isGetAccessor(m)) && m.name && !hasDoc(m)) missing.push(`${rel}: ${n.name?.text}.${m.name.getText(sf)}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
console.log(`missing TSDoc: ${missing.length}`); missing.forEach((m) => console.log('  ' + m));
console.log(`optional props without @default: ${noDefault.length}`); noDefault.forEach((m) => console.log('  ' + m));
process.exitCode = missing.length + noDefault.length ? 1 : 0;
